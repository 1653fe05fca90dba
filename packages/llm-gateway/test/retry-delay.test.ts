import { describe, expect, it } from 'vitest';
import { LlmCallError } from '../src/errors.js';
import { CancelToken } from '../src/scheduler/cancel-token.js';
import { retryDelayMs, sleep } from '../src/scheduler/retry.js';

const settings = { maxAttempts: 5, baseDelayMs: 100, maxDelayMs: 1_000, timeoutRetries: 2 };
const rateLimited = (retryAfterMs?: number) =>
  new LlmCallError({ kind: 'rate-limit', message: '429', retryable: true, retryAfterMs });
const at = (value: number) => () => value;

describe('the retry delay', () => {
  it('doubles its ceiling per retry and jitters over the upper half of it', () => {
    expect(retryDelayMs(1, rateLimited(), settings, at(0))).toBe(50);
    expect(retryDelayMs(1, rateLimited(), settings, at(0.5))).toBe(75);
    expect(retryDelayMs(2, rateLimited(), settings, at(0))).toBe(100);
    expect(retryDelayMs(3, rateLimited(), settings, at(0.5))).toBe(300);
  });

  it('caps the ceiling at maxDelayMs', () => {
    expect(retryDelayMs(5, rateLimited(), settings, at(0))).toBe(500);
    expect(retryDelayMs(9, rateLimited(), settings, at(0.999_999))).toBeCloseTo(1_000, 3);
  });

  it('waits what the server asked when that is longer, but never past maxDelayMs', () => {
    expect(retryDelayMs(1, rateLimited(400), settings, at(0))).toBe(400);
    expect(retryDelayMs(3, rateLimited(10), settings, at(0))).toBe(200);
    expect(retryDelayMs(1, rateLimited(60_000), settings, at(0))).toBe(1_000);
  });
});

describe('sleeping before a retry', () => {
  it('waits about the delay', async () => {
    const started = performance.now();
    await sleep(60, new CancelToken());
    expect(performance.now() - started).toBeGreaterThanOrEqual(55);
  });

  it('rejects as cancelled when the call is cancelled before or during the wait', async () => {
    const before = new CancelToken();
    before.abort();
    await expect(sleep(0, before)).rejects.toMatchObject({
      kind: 'cancelled',
      message: 'the call was cancelled',
    });
    const during = new CancelToken();
    const started = performance.now();
    const waiting = sleep(10_000, during);
    setTimeout(() => during.abort(), 10);
    await expect(waiting).rejects.toMatchObject({ kind: 'cancelled', message: 'the call was cancelled' });
    expect(performance.now() - started).toBeLessThan(5_000);
  });
});
