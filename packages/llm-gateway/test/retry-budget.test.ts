import { afterEach, describe, expect, it } from 'vitest';
import { createLlmGatewayService, type LlmGatewayService } from '../src/service.js';
import { FAKE_KEY, request } from './helpers.js';
import { type FakeReply, type OpenAiFake, startOpenAiFake } from './openai-fake.js';

let fake: OpenAiFake | undefined;
let service: LlmGatewayService | undefined;
afterEach(async () => {
  await service?.close();
  await fake?.close();
  service = undefined;
  fake = undefined;
});

function gatewayOn(url: string, config: Parameters<typeof createLlmGatewayService>[0]['config'] = {}) {
  return createLlmGatewayService({
    databaseFile: ':memory:',
    config,
    env: { OPENAI_API_KEY: FAKE_KEY, OPENAI_BASE_URL: url },
  });
}

describe('retry-after', () => {
  it('waits at least what the server asked for before retrying, not the much shorter backoff', async () => {
    // The backoff alone would wait 10-20 ms; the server asks for 1 s.
    fake = await startOpenAiFake(
      (i): FakeReply =>
        i === 0 ? { kind: 'status', status: 429, headers: { 'retry-after': '1' } } : { kind: 'answer' },
    );
    service = gatewayOn(fake.url, { retries: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 5_000 } });
    const result = await service.complete(request({ model: 'openai:gpt-4o-mini', cache: 'off' }));
    expect(result.text).toBe('answer 1');
    const [first, second] = fake.arrivals;
    const waited = (second?.at ?? 0) - (first?.at ?? 0);
    // Timers fire no earlier than asked (less a millisecond of clock rounding); the upper bound
    // leaves room for a loaded machine.
    expect(waited).toBeGreaterThanOrEqual(999);
    expect(waited).toBeLessThan(2_500);
  });

  it('caps the server-asked delay at maxDelayMs', async () => {
    fake = await startOpenAiFake(
      (i): FakeReply =>
        i === 0 ? { kind: 'status', status: 503, headers: { 'retry-after': '3600' } } : { kind: 'answer' },
    );
    service = gatewayOn(fake.url, { retries: { maxAttempts: 3, baseDelayMs: 20, maxDelayMs: 300 } });
    await service.complete(request({ model: 'openai:gpt-4o-mini', cache: 'off' }));
    const [first, second] = fake.arrivals;
    const waited = (second?.at ?? 0) - (first?.at ?? 0);
    expect(waited).toBeGreaterThanOrEqual(299);
    expect(waited).toBeLessThan(1_500);
  });
});

describe('maxUsd budget', () => {
  it('adds each call cost to the spend: $0.001 calls under a $0.0035 budget allow exactly 4', async () => {
    // 1,000 prompt tokens at $1 per million: every call costs exactly $0.001.
    fake = await startOpenAiFake(() => ({ kind: 'answer', promptTokens: 1_000, completionTokens: 0 }));
    service = gatewayOn(fake.url, { prices: { 'openai:priced': { input: 1, output: 0 } } });
    service.setBudget({ runId: 'usd', maxUsd: 0.0035 });
    const outcomes: string[] = [];
    for (let i = 0; i < 10; i += 1) {
      const call = request({ model: 'openai:priced', content: `question ${i}`, runId: 'usd', cache: 'off' });
      outcomes.push(
        await service.complete(call).then(
          () => 'ok',
          (error: unknown) => (error as { code?: string }).code ?? 'thrown',
        ),
      );
    }
    expect(outcomes).toEqual([...Array(4).fill('ok'), ...Array(6).fill('BUDGET_EXCEEDED')]);
    expect(fake.arrivals).toHaveLength(4);
    const status = service.getBudget('usd');
    expect(status.paidCalls).toBe(4);
    expect(status.spentUsd).toBeCloseTo(0.004, 10);
    expect(status.exceeded).toBe(true);
    expect(service.usage('usd').totals.costUsd).toBeCloseTo(0.004, 10);
  });
});
