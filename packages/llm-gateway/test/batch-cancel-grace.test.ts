import { describe, expect, it } from 'vitest';
import {
  answerTexts,
  cancelledJob,
  gatewayOn,
  LINES,
  SLOW_LINES,
  startBatchSim,
  storedJobs,
} from './batch-servers.js';
import { evaluationRequests } from './batch-support.js';
import { tempDatabaseFile, waitFor } from './helpers.js';

// The simulator keeps a cancelled batch cancelling far longer than any grace here, as a provider
// that never finishes a cancel would.
const NEVER_ENDS = { cancelDelayMs: 600_000 };
const abandoned = cancelledJob('abandoned', 'deadline');

describe.each([['openai:default'], ['anthropic:default']])('a batch through %s', (model) => {
  it('still cancelling after cancelGraceMs has its lines sent live, each paid once in the ledger', async () => {
    const server = await startBatchSim({ ...SLOW_LINES, ...NEVER_ENDS });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests(model, LINES, 'run-grace');
    const service = gatewayOn(server, databaseFile, { liveAfterMs: 1_200, cancelGraceMs: 600 });
    const outcomes = await service.completeBatch(requests, { execution: 'batch' });
    const finishedAt = Date.now();

    const [job] = storedJobs(databaseFile);
    expect(storedJobs(databaseFile)).toEqual([abandoned]);
    expect(finishedAt - job!.cancel_requested_at!).toBeGreaterThanOrEqual(600);
    const stats = server.stats();
    // Cancelled once, at the deadline, after a few lines were done; never ended.
    expect(stats.batches).toMatchObject({ batches: 1, cancelRequests: 1, cancelledBatches: 0 });
    expect(stats.batches.answeredLines).toBeGreaterThanOrEqual(1);
    expect(stats.batches.answeredLines).toBeLessThan(LINES);
    // The provider gives no results while cancelling, so the gateway cannot tell which lines it
    // answered: every line goes live, once each, and the ledger holds one live call per line.
    expect(stats.requests).toBe(LINES);
    const { totals } = service.usage('run-grace');
    expect(totals).toMatchObject({ calls: LINES, paidCalls: LINES, cachedCalls: 0, savedUsd: 0 });
    expect(service.getBudget('run-grace').reservedUsd).toBe(0);
    expect(service.pendingBatches()).toEqual([]);

    const live = await gatewayOn(server).completeBatch(requests, {});
    expect(answerTexts(outcomes)).toEqual(answerTexts(live));
  });
});

describe.each([
  ['openai:default', 'GET /v1/batches/batch_sim0'],
  ['anthropic:default', 'GET /v1/messages/batches/msgbatch_sim0'],
])('the cancelling grace through %s', (model, poll) => {
  it('counts from the stored cancel: a gateway restarted during it neither resends the cancel nor waits a new grace', async () => {
    const grace = 2_500;
    const server = await startBatchSim({ ...SLOW_LINES, ...NEVER_ENDS });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests(model, LINES, 'run-restart');
    const settings = { liveAfterMs: 1_200, cancelGraceMs: grace };
    const first = gatewayOn(server, databaseFile, settings);
    const cut = first.completeBatch(requests, { execution: 'batch' });
    await waitFor(() => storedJobs(databaseFile)[0]?.cancel_acknowledged_at != null, 500);
    await new Promise((resolve) => setTimeout(resolve, 1_000));
    await first.close();
    // The first gateway's callers end with it; the batch stays open for the next one.
    expect((await cut).every((o) => !o.ok && o.error.kind === 'cancelled')).toBe(true);
    expect(storedJobs(databaseFile)[0]?.state).toBe('cancelling');

    const restartedAt = Date.now();
    const polledBefore = server.stats().byEndpoint[poll] ?? 0;
    const second = gatewayOn(server, databaseFile, settings);
    const pending = second.completeBatch(requests, { execution: 'batch' });
    // Resumed (never abandoned, though Anthropic cannot look a batch up by its metadata) and
    // listed as being cancelled.
    await waitFor(() => second.pendingBatches().length === 1);
    expect(second.pendingBatches()[0]).toMatchObject({
      lines: LINES,
      cancelReason: 'deadline',
      runIds: ['run-restart'],
    });
    const outcomes = await pending;
    const finishedAt = Date.now();
    // Polled with back-off from the first poll on (40 ms up to 200 ms: about 10 in 1.5 s).
    expect((server.stats().byEndpoint[poll] ?? 0) - polledBefore).toBeLessThan(30);

    const [job] = storedJobs(databaseFile);
    expect(storedJobs(databaseFile)).toEqual([abandoned]);
    expect(finishedAt - job!.cancel_requested_at!).toBeGreaterThanOrEqual(grace);
    expect(finishedAt - restartedAt).toBeLessThan(grace);
    const stats = server.stats();
    expect(stats.batches).toMatchObject({ batches: 1, cancelRequests: 1, cancelledBatches: 0 });
    expect(stats.requests).toBe(LINES);
    expect(second.usage('run-restart').totals).toMatchObject({ paidCalls: LINES, savedUsd: 0 });

    const live = await gatewayOn(server).completeBatch(requests, {});
    expect(answerTexts(outcomes)).toEqual(answerTexts(live));
  });
});
