import type { UsageTotals } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { callsText, costText, requestsText } from '../src/lib/run-numbers.js';

const totals = (overrides: Partial<UsageTotals> = {}): UsageTotals => ({
  calls: 27_534,
  cachedCalls: 500,
  paidCalls: 0,
  failedCalls: 0,
  cancelledCalls: 0,
  promptTokens: 0,
  completionTokens: 0,
  costUsd: 0,
  unpricedCalls: 0,
  ...overrides,
});

describe('run numbers as the pages word them', () => {
  it('keeps cancelled calls apart from failed ones, and leaves out parts that are zero', () => {
    expect(callsText(totals())).toBe('27,534 calls (500 from the cache)');
    expect(callsText(totals({ failedCalls: 3, cancelledCalls: 40 }))).toBe(
      '27,534 calls (500 from the cache, 3 failed, 40 cancelled)',
    );
  });

  it('shows paid calls only where a price exists', () => {
    // Simulator calls are free: no paid count at all.
    expect(costText(0, totals({ paidCalls: 27_034 }))).toBe('$0 (free models)');
    expect(costText(1.234, totals({ paidCalls: 120 }))).toBe('$1.23, 120 paid calls');
    expect(costText(null, totals({ unpricedCalls: 31_797 }))).toBe(
      'no price (31,797 calls of unpriced models)',
    );
    expect(costText(undefined, undefined)).toBe('–');
  });

  it('counts requests as the algorithm asked for them and calls with the replies asked again', () => {
    expect(
      requestsText({ baseTrain: 18_200, baseTest: 6_000, optimizer: 126, optimizerRetries: 2, cached: 500 }),
    ).toBe(
      '24,326 requests: base model 18,200 on train + 6,000 on test, optimizer 126; 24,328 calls (2 malformed replies asked again), 500 from the cache',
    );
    expect(
      requestsText({
        baseTrain: 10,
        baseTest: 0,
        optimizer: 1,
        optimizerRetries: 0,
        cached: 0,
        failedItems: 1,
      }),
    ).toBe(
      '11 requests: base model 10 on train + 0 on test, optimizer 1; 11 calls, 0 from the cache; 1 failed item counted wrong',
    );
  });
});
