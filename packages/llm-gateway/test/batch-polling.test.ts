import { describe, expect, it } from 'vitest';
import { createLlmGatewayService } from '../src/service.js';
import {
  answerTexts,
  cancelledJob,
  closeAfterTest,
  gatewayOn,
  LINES,
  logCollector,
  SLOW_LINES,
  startBatchSim,
  storedJobs,
} from './batch-servers.js';
import { BATCH_TEST_KEY, batchConfig, evaluationRequests } from './batch-support.js';
import { startFailingProxy } from './failing-proxy.js';
import { tempDatabaseFile, waitFor } from './helpers.js';

const POLL = 'GET /v1/batches/batch_sim0';
const CANCEL = 'POST /v1/batches/batch_sim0/cancel';
const MESSAGE_POLL = 'GET /v1/messages/batches/msgbatch_sim0';

const refusedPollLog = {
  level: 40,
  batch: 'batch_sim0',
  msg: expect.stringMatching(
    /^batch poll failed, polling again: openai batch API GET \/batches\/batch_sim0: HTTP 404/,
  ),
};

describe('following a batch', () => {
  it('polls with back-off from pollInitialMs by 1.5x up to pollMaxMs', async () => {
    const server = await startBatchSim({ completionDelayMs: 2_000 });
    const requests = evaluationRequests('openai:default', LINES, 'run-polls');
    const service = gatewayOn(server, tempDatabaseFile(), { pollInitialMs: 20, pollMaxMs: 400 });
    const outcomes = await service.completeBatch(requests, { execution: 'batch' });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // Sleeps of 20, 30, 45, 68, 102, 153, 230, 345, then 400 ms: the 11th poll, at 2.19 s, finds
    // it done (a loaded machine may lose one). Never growing polls every ~20 ms (about 100); one
    // that starts at the cap polls 5 or 6 times.
    const polls = server.stats().byEndpoint[POLL] ?? 0;
    expect(polls).toBeGreaterThanOrEqual(8);
    expect(polls).toBeLessThanOrEqual(12);
  });

  it('polls a job a previous gateway left open at once, without waiting pollInitialMs first', async () => {
    const server = await startBatchSim({ completionDelayMs: 200 });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests('openai:default', LINES, 'run-resumed-poll');
    const first = gatewayOn(server, databaseFile, { pollInitialMs: 60_000 });
    void first.completeBatch(requests, { execution: 'batch' });
    await waitFor(() => storedJobs(databaseFile)[0]?.state === 'submitted');
    await first.close();
    // Ended at the provider while no gateway followed it.
    await new Promise((resolve) => setTimeout(resolve, 400));

    const second = gatewayOn(server, databaseFile, { pollInitialMs: 60_000 });
    const started = Date.now();
    const outcomes = await second.completeBatch(requests, { execution: 'batch' });
    expect(Date.now() - started).toBeLessThan(5_000);
    expect(answerTexts(outcomes)).toHaveLength(LINES);
    expect(server.stats().byEndpoint[POLL]).toBe(1);
    expect(server.stats().batches).toMatchObject({ batches: 1, answeredLines: LINES });
  });

  it('polls again after a poll the provider refuses, and ends with every answer', async () => {
    const server = await startBatchSim({ completionDelayMs: 300 });
    // A 404, as for a batch the provider's front end does not know yet: not retried by the client.
    const proxy = await startFailingProxy(server.url, (route, n) =>
      route === POLL && n <= 2 ? 404 : undefined,
    );
    closeAfterTest(proxy.close);
    const requests = evaluationRequests('openai:default', LINES, 'run-refused-poll');
    const logs = logCollector();
    const service = gatewayOn(proxy, tempDatabaseFile(), { pollInitialMs: 20, pollMaxMs: 100 }, logs.logger);
    const outcomes = await service.completeBatch(requests, { execution: 'batch' });
    expect(logs.records.map(({ level, msg, batch }) => ({ level, msg, batch }))).toEqual([
      refusedPollLog,
      refusedPollLog,
    ]);

    expect(proxy.seen.get(POLL)).toBeGreaterThanOrEqual(3);
    expect(server.stats().batches).toMatchObject({ batches: 1, answeredLines: LINES });
    expect(server.stats().requests).toBe(0);
    const live = await gatewayOn(server).completeBatch(requests, {});
    expect(answerTexts(outcomes)).toEqual(answerTexts(live));
  });

  it('gives up a poll the provider stalls on after httpTimeoutMs and polls again', async () => {
    const server = await startBatchSim({ completionDelayMs: 300 });
    // The first poll's answer is held far past the 400 ms limit, as a provider that hangs would.
    const proxy = await startFailingProxy(server.url, () => undefined, {
      holdFor: (route, n) => (route === POLL && n === 1 ? 60_000 : 0),
    });
    closeAfterTest(proxy.close);
    const requests = evaluationRequests('openai:default', LINES, 'run-stalled-poll');
    const service = gatewayOn(proxy, tempDatabaseFile(), {
      pollInitialMs: 20,
      pollMaxMs: 100,
      httpTimeoutMs: 400,
    });
    const started = Date.now();
    const outcomes = await service.completeBatch(requests, { execution: 'batch' });
    expect(Date.now() - started).toBeLessThan(10_000);
    expect(answerTexts(outcomes)).toHaveLength(LINES);
    expect(proxy.seen.get(POLL)).toBeGreaterThanOrEqual(2);
    expect(server.stats().batches).toMatchObject({ batches: 1, answeredLines: LINES });
    expect(server.stats().requests).toBe(0);
  });

  it('sends a refused cancel again at the next poll, once the provider still shows the batch running', async () => {
    const server = await startBatchSim(SLOW_LINES);
    const proxy = await startFailingProxy(server.url, (route, n) =>
      route === CANCEL && n === 1 ? 404 : undefined,
    );
    closeAfterTest(proxy.close);
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests('openai:default', LINES, 'run-refused-cancel');
    const logs = logCollector();
    const service = gatewayOn(proxy, databaseFile, { liveAfterMs: 1_200 }, logs.logger);
    const outcomes = await service.completeBatch(requests, { execution: 'batch' });
    expect(logs.records.map(({ level, msg, batch, lines }) => ({ level, msg, batch, lines }))).toEqual([
      {
        level: 30,
        msg: 'batch still running at liveAfterMs: cancelling it, its unanswered lines go live',
        batch: 'batch_sim0',
        lines: LINES,
      },
      {
        level: 40,
        msg: expect.stringMatching(
          /^batch cancel failed: openai batch API POST \/batches\/batch_sim0\/cancel: HTTP 404/,
        ),
        batch: 'batch_sim0',
        lines: undefined,
      },
    ]);

    expect(proxy.seen.get(CANCEL)).toBe(2);
    const { batches } = server.stats();
    expect(batches).toMatchObject({ batches: 1, cancelRequests: 1, cancelledBatches: 1 });
    expect(server.stats().requests).toBe(LINES - batches.answeredLines);
    expect(storedJobs(databaseFile)).toEqual([cancelledJob('ended', 'deadline')]);
    expect(service.usage('run-refused-cancel').totals.paidCalls).toBe(LINES);
    const live = await gatewayOn(server).completeBatch(requests, {});
    expect(answerTexts(outcomes)).toEqual(answerTexts(live));
  });

  it('leaves open a job whose provider the resuming gateway has no key for, and batches the rest', async () => {
    const server = await startBatchSim({ completionDelayMs: 600 });
    const databaseFile = tempDatabaseFile();
    const first = gatewayOn(server, databaseFile);
    const cut = first.completeBatch(evaluationRequests('anthropic:default', LINES, 'run-a'), {
      execution: 'batch',
    });
    await expect.poll(() => storedJobs(databaseFile)[0]?.state, { interval: 10 }).toBe('submitted');
    await first.close();
    await cut;
    const polledBefore = server.stats().byEndpoint[MESSAGE_POLL];

    const openAiOnly = createLlmGatewayService({
      databaseFile,
      config: batchConfig(server.url),
      env: { OPENAI_API_KEY: BATCH_TEST_KEY },
    });
    closeAfterTest(() => openAiOnly.close());
    const outcomes = await openAiOnly.completeBatch(evaluationRequests('openai:default', LINES, 'run-b'), {
      execution: 'batch',
    });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // Not followed at all: never polled, not listed, nothing of its run reserved.
    expect(server.stats().byEndpoint[MESSAGE_POLL]).toBe(polledBefore);
    expect(openAiOnly.pendingBatches()).toEqual([]);
    expect(openAiOnly.getBudget('run-a').reservedUsd).toBe(0);
    expect(storedJobs(databaseFile).map((job) => job.state)).toEqual(['submitted', 'ended']);
  });

  it('cancels a batch at once when its run is cancelled, not at its next poll', async () => {
    const server = await startBatchSim(SLOW_LINES);
    const service = gatewayOn(server, tempDatabaseFile(), { pollInitialMs: 10_000, pollMaxMs: 10_000 });
    const pending = service.completeBatch(evaluationRequests('openai:default', LINES, 'run-now'), {
      execution: 'batch',
    });
    await expect.poll(() => server.stats().batches.batches, { interval: 10 }).toBe(1);
    service.cancelRun('run-now');
    await pending;
    await expect.poll(() => server.stats().batches.cancelRequests, { interval: 10, timeout: 1_000 }).toBe(1);
    expect(server.stats().byEndpoint[POLL]).toBeUndefined();
  });
});
