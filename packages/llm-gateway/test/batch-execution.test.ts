import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { answerTexts, closeAfterTest, gatewayOn, logCollector, startBatchSim } from './batch-servers.js';
import { evaluationRequests, SIM_PRICE } from './batch-support.js';
import { startFailingProxy } from './failing-proxy.js';
import { tempDatabaseFile } from './helpers.js';

describe.each([['openai:default'], ['anthropic:default']])('batch execution through %s', (model) => {
  it('gathers concurrent calls into one batch, answers like live at half the price, then replays from the cache', async () => {
    const server = await startBatchSim({ completionDelayMs: 150 });
    const requests = evaluationRequests(model, 12, 'run-batch');
    const batch = gatewayOn(server);
    // Two pairs of one phase arrive as two calls, as the evaluator sends them.
    const started = Date.now();
    const [first, second] = await Promise.all([
      batch.completeBatch(requests.slice(0, 6), { execution: 'batch' }),
      batch.completeBatch(requests.slice(6), { execution: 'batch' }),
    ]);
    const elapsedMs = Date.now() - started;
    const batched = [...first!, ...second!];
    // A line's latency runs from its job's creation to its answer: within the wait, past the
    // batch's 150 ms in progress.
    for (const outcome of batched) {
      const latencyMs = outcome.ok ? outcome.result.latencyMs : -1;
      expect(latencyMs).toBeGreaterThanOrEqual(140);
      expect(latencyMs).toBeLessThanOrEqual(elapsedMs);
    }
    expect(server.stats().batches).toMatchObject({ batches: 1, lines: 12, answeredLines: 12 });
    expect(server.stats().requests).toBe(0);
    expect(batch.pendingBatches()).toEqual([]);

    const live = gatewayOn(server);
    const liveOutcomes = await live.completeBatch(
      requests.map((r) => ({ ...r, runId: 'run-live' })),
      {},
    );
    expect(answerTexts(batched)).toEqual(answerTexts(liveOutcomes));
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
    expect(answerTexts(replay)).toEqual(answerTexts(batched));
    expect(replay.every((o) => o.ok && o.result.cached)).toBe(true);
    expect(server.stats().batches.batches).toBe(1);
    expect(server.stats().requests).toBe(12);
  });
});

describe('batch failures', () => {
  it('resubmits failed and expired lines in new batches and ends with the live answers', async () => {
    const server = await startBatchSim({ expireBatches: [0], failedLineRate: 0.3 });
    const requests = evaluationRequests('openai:default', 10, 'run-retry');
    const batch = gatewayOn(server, tempDatabaseFile(), { maxSubmissions: 6 });
    batch.setBudget({ runId: 'run-retry', maxCalls: 100 });
    const outcomes = await batch.completeBatch(requests, { execution: 'batch' });
    const stats = server.stats().batches;
    expect(stats.expiredBatches).toBe(1);
    expect(stats.failedLines).toBeGreaterThan(0);
    expect(stats.batches).toBeGreaterThanOrEqual(3);
    expect(stats.answeredLines).toBe(10);
    expect(server.stats().requests).toBe(0);
    const live = await gatewayOn(server).completeBatch(requests, {});
    expect(answerTexts(outcomes)).toEqual(answerTexts(live));
    expect(batch.usage('run-retry').totals.paidCalls).toBe(10);
    // A failed or expired line released its reservation unpaid: the run paid for ten answers.
    expect(batch.getBudget('run-retry')).toMatchObject({ paidCalls: 10, inFlightCalls: 0, reservedUsd: 0 });
  });

  it('puts at most maxLines lines in one batch, each line in one', async () => {
    const server = await startBatchSim();
    const requests = evaluationRequests('openai:default', 10, 'run-split');
    const outcomes = await gatewayOn(server, tempDatabaseFile(), { maxLines: 4 }).completeBatch(requests, {
      execution: 'batch',
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // 4 + 4 + 2: a full chunk is sent at once, and its gathering timer never sends it again.
    expect(server.stats().batches).toMatchObject({ batches: 3, lines: 10, answeredLines: 10 });
    expect(server.stats().requests).toBe(0);
  });

  it('submits nothing it was still gathering when the gateway closes', async () => {
    const server = await startBatchSim();
    const logs = logCollector();
    const service = gatewayOn(server, tempDatabaseFile(), { gatherMs: 150 }, logs.logger);
    const cut = service.completeBatch(evaluationRequests('openai:default', 3, 'run-closed'), {
      execution: 'batch',
    });
    await new Promise((resolve) => setTimeout(resolve, 30));
    await service.close();
    expect((await cut).every((o) => !o.ok && o.error.kind === 'cancelled')).toBe(true);
    await new Promise((resolve) => setTimeout(resolve, 250));
    expect(server.stats().batches.batches).toBe(0);
    expect(logs.records.filter((record) => record.level === 50)).toEqual([]);
  });

  it('gathers each model apart, and keeps each line tagged in the ledger', async () => {
    const server = await startBatchSim();
    const databaseFile = tempDatabaseFile();
    const service = gatewayOn(server, databaseFile);
    const [openai, anthropic] = await Promise.all([
      service.completeBatch(evaluationRequests('openai:default', 3, 'run-two'), { execution: 'batch' }),
      service.completeBatch(evaluationRequests('anthropic:default', 3, 'run-two'), { execution: 'batch' }),
    ]);
    expect([...openai!, ...anthropic!].every((o) => o.ok)).toBe(true);
    expect(server.stats().batches).toMatchObject({ batches: 2, lines: 6, answeredLines: 6, files: 1 });
    await service.flush();
    const sqlite = new Database(databaseFile, { readonly: true });
    const tags = sqlite.prepare<[], { tag: string | null }>('SELECT tag FROM ledger').all();
    sqlite.close();
    expect(tags.map((row) => row.tag)).toEqual(Array(6).fill('base'));
  });

  it('sends the lines of a refused submission live', async () => {
    const server = await startBatchSim();
    const proxy = await startFailingProxy(server.url, (route) =>
      route === 'POST /v1/batches' ? 404 : undefined,
    );
    closeAfterTest(proxy.close);
    const logs = logCollector();
    const requests = evaluationRequests('openai:default', 3, 'run-refused');
    const outcomes = await gatewayOn(proxy, tempDatabaseFile(), {}, logs.logger).completeBatch(requests, {
      execution: 'batch',
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.stats().batches.batches).toBe(0);
    expect(server.stats().requests).toBe(3);
    expect(logs.records.map(({ level, msg, lines }) => ({ level, msg, lines }))).toEqual([
      {
        level: 40,
        msg: expect.stringMatching(
          /^batch refused, lines go live: openai batch API POST \/batches: HTTP 404/,
        ),
        lines: 3,
      },
    ]);
  });

  it('looks for a batch whose create answer was lost before creating it again (OpenAI: by its job id)', async () => {
    const server = await startBatchSim({ completionDelayMs: 200 });
    // The provider makes the batch; its answer stalls past the 400 ms limit, as a lost one would.
    const proxy = await startFailingProxy(server.url, () => undefined, {
      holdFor: (route, n) => (route === 'POST /v1/batches' && n === 1 ? 60_000 : 0),
    });
    closeAfterTest(proxy.close);
    const requests = evaluationRequests('openai:default', 4, 'run-lost-create');
    const service = gatewayOn(proxy, tempDatabaseFile(), { httpTimeoutMs: 400 });
    const outcomes = await service.completeBatch(requests, { execution: 'batch' });
    expect(answerTexts(outcomes)).toHaveLength(4);
    expect(proxy.seen.get('POST /v1/batches')).toBe(1);
    expect(proxy.seen.get('GET /v1/batches')).toBeGreaterThanOrEqual(1);
    expect(server.stats().batches).toMatchObject({ batches: 1, answeredLines: 4 });
    expect(server.stats().requests).toBe(0);
  });

  it('sends a line live once it has used its submissions', async () => {
    const server = await startBatchSim({ expireBatches: [0] });
    const requests = evaluationRequests('openai:default', 5, 'run-live-after');
    const outcomes = await gatewayOn(server, tempDatabaseFile(), { maxSubmissions: 1 }).completeBatch(
      requests,
      {
        execution: 'batch',
      },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.stats().batches).toMatchObject({ batches: 1, expiredBatches: 1, answeredLines: 0 });
    expect(server.stats().requests).toBe(5);
  });

  it('sends requests with the cache off live: a batch answer could only be read through the cache', async () => {
    const server = await startBatchSim();
    const requests = evaluationRequests('openai:default', 2, 'r').map((r) => ({
      ...r,
      cache: 'off' as const,
    }));
    const outcomes = await gatewayOn(server).completeBatch(requests, { execution: 'batch' });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.stats().requests).toBe(2);
    expect(server.stats().batches.batches).toBe(0);
  });
});
