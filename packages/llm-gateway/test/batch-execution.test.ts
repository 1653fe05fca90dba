import type { CompletionOutcome } from '@metaspo/schemas';
import { type SimServer, type SimServerOptions, startSimServer } from '@metaspo/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { BATCH_ANSWER_KEY, batchGateway, evaluationRequests, SIM_PRICE } from './batch-support.js';
import { tempDatabaseFile } from './helpers.js';

const sims: SimServer[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const sim of sims.splice(0)) await sim.close();
});

async function sim(batch: SimServerOptions['batch'] = {}) {
  const server = await startSimServer({ answerKey: BATCH_ANSWER_KEY, malformedRate: 0, batch });
  sims.push(server);
  return server;
}

function gateway(server: SimServer, batch: Parameters<typeof batchGateway>[2] = {}) {
  const service = batchGateway(server.url, tempDatabaseFile(), batch);
  closers.push(() => service.close());
  return service;
}

const texts = (outcomes: CompletionOutcome[]) =>
  outcomes.map((outcome) => {
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.result.text;
  });

describe.each([['openai:default'], ['anthropic:default']])('batch execution through %s', (model) => {
  it('gathers concurrent calls into one batch, answers like live at half the price, then replays from the cache', async () => {
    const server = await sim({ completionDelayMs: 150 });
    const requests = evaluationRequests(model, 12, 'run-batch');
    const batch = gateway(server);
    // Two pairs of one phase arrive as two calls, as the evaluator sends them.
    const [first, second] = await Promise.all([
      batch.completeBatch(requests.slice(0, 6), { execution: 'batch' }),
      batch.completeBatch(requests.slice(6), { execution: 'batch' }),
    ]);
    const batched = [...first!, ...second!];
    expect(server.stats().batches).toMatchObject({ batches: 1, lines: 12, answeredLines: 12 });
    expect(server.stats().requests).toBe(0);
    expect(batch.pendingBatches()).toEqual([]);

    const live = gateway(server);
    const liveOutcomes = await live.completeBatch(
      requests.map((r) => ({ ...r, runId: 'run-live' })),
      {},
    );
    expect(texts(batched)).toEqual(texts(liveOutcomes));
    expect(server.stats().requests).toBe(12);

    const batchUsage = batch.usage('run-batch').totals;
    const liveUsage = live.usage('run-live').totals;
    expect(batchUsage.paidCalls).toBe(12);
    expect(batchUsage.promptTokens).toBe(liveUsage.promptTokens);
    expect(batchUsage.completionTokens).toBe(liveUsage.completionTokens);
    const liveCost =
      (liveUsage.promptTokens * SIM_PRICE.input + liveUsage.completionTokens * SIM_PRICE.output) / 1e6;
    expect(liveUsage.costUsd).toBeCloseTo(liveCost, 12);
    expect(batchUsage.costUsd).toBeCloseTo(liveCost / 2, 12);

    // The answers are in the cache under the live keys: nothing more is sent, in either mode.
    const replay = await batch.completeBatch(requests, { execution: 'batch' });
    expect(texts(replay)).toEqual(texts(batched));
    expect(replay.every((o) => o.ok && o.result.cached)).toBe(true);
    expect(server.stats().batches.batches).toBe(1);
    expect(server.stats().requests).toBe(12);
  });
});

describe('batch failures', () => {
  it('resubmits failed and expired lines in new batches and ends with the live answers', async () => {
    const server = await sim({ expireBatches: [0], failedLineRate: 0.3 });
    const requests = evaluationRequests('openai:default', 10, 'run-retry');
    const batch = gateway(server, { maxSubmissions: 6 });
    const outcomes = await batch.completeBatch(requests, { execution: 'batch' });
    const stats = server.stats().batches;
    expect(stats.expiredBatches).toBe(1);
    expect(stats.failedLines).toBeGreaterThan(0);
    expect(stats.batches).toBeGreaterThanOrEqual(3);
    expect(stats.answeredLines).toBe(10);
    expect(server.stats().requests).toBe(0);
    const live = await gateway(server).completeBatch(requests, {});
    expect(texts(outcomes)).toEqual(texts(live));
    expect(batch.usage('run-retry').totals.paidCalls).toBe(10);
  });

  it('sends a line live once it has used its submissions', async () => {
    const server = await sim({ expireBatches: [0] });
    const requests = evaluationRequests('openai:default', 5, 'run-live-after');
    const outcomes = await gateway(server, { maxSubmissions: 1 }).completeBatch(requests, {
      execution: 'batch',
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.stats().batches).toMatchObject({ batches: 1, expiredBatches: 1, answeredLines: 0 });
    expect(server.stats().requests).toBe(5);
  });

  it('sends requests with the cache off live: a batch answer could only be read through the cache', async () => {
    const server = await sim();
    const requests = evaluationRequests('openai:default', 2, 'r').map((r) => ({
      ...r,
      cache: 'off' as const,
    }));
    const outcomes = await gateway(server).completeBatch(requests, { execution: 'batch' });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.stats().requests).toBe(2);
    expect(server.stats().batches.batches).toBe(0);
  });
});
