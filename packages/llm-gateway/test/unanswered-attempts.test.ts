import { afterEach, describe, expect, it } from 'vitest';
import { ASSUMED_COMPLETION_TOKENS } from '../src/attempt-cost.js';
import type { GatewayConfigInput } from '../src/config.js';
import { createLlmGatewayService, type LlmGatewayService } from '../src/service.js';
import { FAKE_KEY, request } from './helpers.js';
import { type FakeReply, type OpenAiFake, startOpenAiFake } from './openai-fake.js';

// $1 per million input tokens, $10 per million output tokens.
const PRICES = { 'openai:priced': { input: 1, output: 10 } };
// 'What is 2 + 2? Answer with a number.' is 36 characters: an estimate of 9 prompt tokens.
const PROMPT_ESTIMATE = 9;
const attemptCost = (completionTokens: number, promptTokens = PROMPT_ESTIMATE) =>
  (promptTokens * 1 + completionTokens * 10) / 1e6;

let fake: OpenAiFake | undefined;
let service: LlmGatewayService | undefined;
afterEach(async () => {
  await service?.close();
  await fake?.close();
  service = undefined;
  fake = undefined;
});

async function gateway(reply: (index: number) => FakeReply, config: GatewayConfigInput = {}) {
  fake = await startOpenAiFake(reply);
  service = createLlmGatewayService({
    databaseFile: ':memory:',
    config: { timeoutMs: 150, prices: PRICES, retries: { baseDelayMs: 1, maxDelayMs: 5 }, ...config },
    env: { OPENAI_API_KEY: FAKE_KEY, OPENAI_BASE_URL: fake.url },
  });
  return { fake, service };
}

const priced = (overrides: Parameters<typeof request>[0] = {}) =>
  request({ model: 'openai:priced', cache: 'off', runId: 'run', ...overrides });

describe('attempts that may have been billed without an answer', () => {
  it('retries a timeout twice by default and records all three attempts at their estimated cost', async () => {
    const { fake, service } = await gateway(() => ({ kind: 'stall' }));
    const failure = await service.complete(priced({ maxTokens: 100 })).catch((e: unknown) => e);
    expect(failure).toMatchObject({ code: 'UPSTREAM', details: { kind: 'timeout' } });
    expect((failure as Error).message).toContain('gave up after 3 attempts');
    expect(fake.arrivals).toHaveLength(3);
    const totals = service.usage('run').totals;
    expect(totals).toMatchObject({ calls: 1, failedCalls: 1, paidCalls: 1, promptTokens: 0 });
    expect(totals.costUsd).toBeCloseTo(3 * attemptCost(100), 12);
  });

  it('counts the estimates against maxUsd, so stalled calls cannot spend past it unseen', async () => {
    const { fake, service } = await gateway(() => ({ kind: 'stall' }), {
      retries: { baseDelayMs: 1, maxDelayMs: 5, timeoutRetries: 0 },
    });
    service.setBudget({ runId: 'run', maxUsd: 1.5 * attemptCost(100) });
    const kinds: string[] = [];
    for (let i = 0; i < 4; i += 1) {
      const outcome = await service
        .complete(priced({ maxTokens: 100, content: `q${i}` }))
        .catch((e: unknown) => e);
      kinds.push((outcome as { details?: { kind?: string } }).details?.kind ?? 'ok');
    }
    expect(kinds).toEqual(['timeout', 'timeout', 'budget-exceeded', 'budget-exceeded']);
    expect(fake.arrivals).toHaveLength(2);
    expect(service.getBudget('run')).toMatchObject({ paidCalls: 2, exceeded: true });
    // 'q0' and 'q1' are 2 characters: 1 prompt token each.
    expect(service.getBudget('run').spentUsd).toBeCloseTo(2 * attemptCost(100, 1), 12);
  });

  it('takes the timeout retries from the config', async () => {
    const { fake, service } = await gateway(() => ({ kind: 'stall' }), {
      retries: { maxAttempts: 10, baseDelayMs: 1, maxDelayMs: 5, timeoutRetries: 4 },
    });
    await expect(service.complete(priced())).rejects.toMatchObject({ details: { kind: 'timeout' } });
    expect(fake.arrivals).toHaveLength(5);
  });

  it('adds the estimate of a timed-out attempt to the cost of the answer that followed', async () => {
    const { service } = await gateway((i) =>
      i === 0 ? { kind: 'stall' } : { kind: 'answer', promptTokens: 20, completionTokens: 5 },
    );
    const result = await service.complete(priced());
    // No maxTokens: the unanswered attempt is assumed to have produced ASSUMED_COMPLETION_TOKENS.
    const expected = (20 * 1 + 5 * 10) / 1e6 + attemptCost(ASSUMED_COMPLETION_TOKENS);
    expect(result.costUsd).toBeCloseTo(expected, 12);
    expect(service.usage('run').totals).toMatchObject({ calls: 1, paidCalls: 1, promptTokens: 20 });
    expect(service.getBudget('run').spentUsd).toBeCloseTo(expected, 12);
  });

  it('charges a call aborted in flight, but not one aborted while it waited for a slot', async () => {
    const { fake, service } = await gateway(() => ({ kind: 'stall' }), {
      timeoutMs: 60_000,
      providers: { openai: { concurrency: 1 } },
    });
    const inFlight = new AbortController();
    const queued = new AbortController();
    const first = service.complete(priced({ maxTokens: 50, tag: 'sent' }), { signal: inFlight.signal });
    const second = service.complete(priced({ maxTokens: 50, tag: 'queued', content: 'other' }), {
      signal: queued.signal,
    });
    await fake.arrived(1);
    queued.abort();
    inFlight.abort();
    await expect(first).rejects.toMatchObject({ code: 'CANCELLED' });
    await expect(second).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(fake.arrivals).toHaveLength(1);
    const totals = service.usage('run').totals;
    expect(totals).toMatchObject({ calls: 2, failedCalls: 0, cancelledCalls: 2, paidCalls: 1 });
    expect(totals.costUsd).toBeCloseTo(attemptCost(50), 12);
  });

  it('does not count an unanswered attempt of a free model as paid: nothing can bill it', async () => {
    const { fake, service } = await gateway(() => ({ kind: 'stall' }), {
      timeoutMs: 60_000,
      prices: { 'openai:free': { input: 0, output: 0 } },
    });
    const controller = new AbortController();
    const call = service.complete(priced({ model: 'openai:free' }), { signal: controller.signal });
    await fake.arrived(1);
    controller.abort();
    await expect(call).rejects.toMatchObject({ code: 'CANCELLED' });
    expect(service.usage('run').totals).toMatchObject({ calls: 1, paidCalls: 0, costUsd: 0 });
  });

  it('records the estimate of an unpriced model as unknown, not as free', async () => {
    const { service } = await gateway(() => ({ kind: 'stall' }), {
      retries: { baseDelayMs: 1, maxDelayMs: 5, timeoutRetries: 0 },
    });
    await expect(service.complete(priced({ model: 'openai:no-price-known' }))).rejects.toMatchObject({
      details: { kind: 'timeout' },
    });
    expect(service.usage('run').totals).toMatchObject({ paidCalls: 1, unpricedCalls: 1, costUsd: null });
  });
});
