import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import {
  answerTexts,
  cancelledJob,
  gatewayOn,
  LINES,
  logCollector,
  SLOW_LINES,
  startBatchSim,
  storedJobs,
} from './batch-servers.js';
import { BATCH_TEST_KEY, evaluationRequests } from './batch-support.js';
import { tempDatabaseFile, waitFor } from './helpers.js';

describe.each([['openai:default'], ['anthropic:default']])('a batch through %s', (model) => {
  it('still running at liveAfterMs is cancelled once; its answered lines are kept, the rest go live', async () => {
    const server = await startBatchSim(SLOW_LINES);
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests(model, LINES, 'run-deadline');
    const service = gatewayOn(server, databaseFile, { liveAfterMs: 1_200 });
    const outcomes = await service.completeBatch(requests, { execution: 'batch' });

    const stats = server.stats();
    const kept = stats.batches.answeredLines;
    expect(kept).toBeGreaterThanOrEqual(1);
    expect(kept).toBeLessThan(LINES);
    expect(stats.batches).toMatchObject({ batches: 1, cancelRequests: 1, cancelledBatches: 1 });
    expect(stats.batches.cancelledLines).toBe(LINES - kept);
    expect(stats.requests).toBe(LINES - kept);
    expect(storedJobs(databaseFile)).toEqual([cancelledJob('ended', 'deadline')]);
    // Each line paid once: at the batch price for the kept ones, live for the rest.
    expect(service.usage('run-deadline').totals.paidCalls).toBe(LINES);
    const live = await gatewayOn(server).completeBatch(requests, {});
    expect(answerTexts(outcomes)).toEqual(answerTexts(live));

    const replay = await service.completeBatch(requests, { execution: 'batch' });
    expect(replay.every((o) => o.ok && o.result.cached)).toBe(true);
    expect(server.stats().batches.batches).toBe(1);
  });

  it('whose run is cancelled is cancelled at the provider, and the lines it answered stay in the cache', async () => {
    const server = await startBatchSim(SLOW_LINES);
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests(model, LINES, 'doomed');
    const logs = logCollector();
    const service = gatewayOn(server, databaseFile, {}, logs.logger);
    const pending = service.completeBatch(requests, { execution: 'batch' });
    await waitFor(() => server.stats().batches.batches === 1);
    await new Promise((resolve) => setTimeout(resolve, 1_100));
    expect(service.cancelRun('doomed').cancelledCalls).toBe(LINES);
    const outcomes = await pending;
    expect(outcomes.every((o) => !o.ok && o.error.kind === 'cancelled')).toBe(true);

    // Polled to its end: what the provider answered (and billed) before the cancel is kept.
    await waitFor(() => service.pendingBatches().length === 0, 500);
    // Longer than a gathering (30 ms) and a submission: a requeued line would be batched by now.
    await new Promise((resolve) => setTimeout(resolve, 300));
    const { batches } = server.stats();
    // Nothing of it is batched again: nobody waits on its unanswered lines.
    expect(batches).toMatchObject({ batches: 1, cancelRequests: 1, cancelledBatches: 1 });
    expect(batches.answeredLines).toBeGreaterThanOrEqual(2);
    expect(batches.answeredLines).toBeLessThan(LINES);
    expect(service.checkCache(requests).cached.filter(Boolean)).toHaveLength(batches.answeredLines);
    expect(service.usage('doomed').totals.paidCalls).toBe(batches.answeredLines);
    expect(server.stats().requests).toBe(0);
    expect(logs.records.map(({ level, msg, lines }) => ({ level, msg, lines }))).toEqual([
      { level: 30, msg: 'batch no longer needed: cancelling it', lines: LINES },
    ]);
    expect(storedJobs(databaseFile)).toEqual([cancelledJob('ended', 'unneeded')]);
  });
});

describe('batch cancellation', () => {
  it('shows a batch as being cancelled among the pending ones until it ends', async () => {
    const server = await startBatchSim({ ...SLOW_LINES, cancelDelayMs: 800 });
    const service = gatewayOn(server);
    const requests = evaluationRequests('openai:default', LINES, 'watched');
    const pending = service.completeBatch(requests, { execution: 'batch' });
    await waitFor(() => service.pendingBatches().length === 1);
    expect(service.pendingBatches()[0]).toMatchObject({ cancelReason: null, runIds: ['watched'] });
    service.cancelRun('watched');
    await pending;
    await waitFor(() => service.pendingBatches()[0]?.cancelReason === 'unneeded');
    await waitFor(() => service.pendingBatches().length === 0, 3_000);
  });

  it('is cancelled once when the run of a batch already cancelled at its deadline is cancelled too', async () => {
    const server = await startBatchSim({ ...SLOW_LINES, cancelDelayMs: 1_500 });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests('openai:default', LINES, 'run-twice');
    const service = gatewayOn(server, databaseFile, { liveAfterMs: 1_200 });
    const pending = service.completeBatch(requests, { execution: 'batch' });
    await waitFor(() => storedJobs(databaseFile)[0]?.cancel_acknowledged_at != null, 500);
    expect(service.cancelRun('run-twice').cancelledCalls).toBe(LINES);
    expect((await pending).every((o) => !o.ok && o.error.kind === 'cancelled')).toBe(true);

    await waitFor(() => storedJobs(databaseFile)[0]?.state === 'ended', 500);
    expect(server.stats().batches).toMatchObject({ batches: 1, cancelRequests: 1, cancelledBatches: 1 });
    expect(storedJobs(databaseFile)).toEqual([cancelledJob('ended', 'deadline')]);
    expect(server.stats().requests).toBe(0);
  });

  it('leaves a batch running while another run still waits on some of its lines', async () => {
    const server = await startBatchSim({ completionDelayMs: 600 });
    const service = gatewayOn(server);
    const doomed = evaluationRequests('openai:default', LINES, 'doomed').slice(0, 3);
    const kept = evaluationRequests('openai:default', LINES, 'kept').slice(3);
    const first = service.completeBatch(doomed, { execution: 'batch' });
    const second = service.completeBatch(kept, { execution: 'batch' });
    await waitFor(() => server.stats().batches.batches === 1);
    expect(service.cancelRun('doomed').cancelledCalls).toBe(3);
    expect((await first).every((o) => !o.ok && o.error.kind === 'cancelled')).toBe(true);
    expect((await second).every((o) => o.ok)).toBe(true);
    expect(server.stats().batches).toMatchObject({ batches: 1, answeredLines: LINES, cancelRequests: 0 });
  });

  it('is never sent again by the gateway that resumes a cancelling batch', async () => {
    const server = await startBatchSim({ ...SLOW_LINES, cancelDelayMs: 1_500 });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests('openai:default', LINES, 'doomed');
    const first = gatewayOn(server, databaseFile);
    const pending = first.completeBatch(requests, { execution: 'batch' });
    await waitFor(() => server.stats().batches.batches === 1);
    await new Promise((resolve) => setTimeout(resolve, 600));
    first.cancelRun('doomed');
    await pending;
    await waitFor(() => storedJobs(databaseFile)[0]?.cancel_acknowledged_at !== null);
    await first.close();

    // The next gateway polls the cancelling batch to its end, then batches what it did not answer.
    const second = gatewayOn(server, databaseFile);
    const outcomes = await second.completeBatch(
      requests.map((r) => ({ ...r, runId: 'again' })),
      { execution: 'batch' },
    );
    expect(outcomes.every((o) => o.ok)).toBe(true);
    const { batches } = server.stats();
    expect(batches).toMatchObject({
      batches: 2,
      cancelRequests: 1,
      cancelledBatches: 1,
      answeredLines: LINES,
    });
    expect(storedJobs(databaseFile).map((job) => [job.state, job.cancel_reason])).toEqual([
      ['ended', 'unneeded'],
      ['ended', null],
    ]);
  });

  it.each([
    [
      'is sent by the resuming gateway when the provider never got it (killed between the write and the send)',
      false,
    ],
    ['is not sent again by the resuming gateway when the provider got it but its answer was lost', true],
  ])('%s', async (_name, providerGotIt) => {
    // Still cancelling when the resuming gateway first polls, even on a loaded machine.
    const server = await startBatchSim({ ...SLOW_LINES, cancelDelayMs: 2_500 });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests('openai:default', LINES, 'run-unacknowledged');
    const first = gatewayOn(server, databaseFile);
    void first.completeBatch(requests, { execution: 'batch' });
    await waitFor(() => storedJobs(databaseFile)[0]?.state === 'submitted');
    await first.close();
    if (providerGotIt) {
      const cancelled = await fetch(`${server.url}/v1/batches/batch_sim0/cancel`, {
        method: 'POST',
        headers: { authorization: `Bearer ${BATCH_TEST_KEY}` },
      });
      expect(cancelled.status).toBe(200);
    }
    markCancellingUnacknowledged(databaseFile);

    // The provider's status tells the resuming gateway whether the cancel reached it.
    const second = gatewayOn(server, databaseFile);
    const outcomes = await second.completeBatch(requests, { execution: 'batch' });
    expect(outcomes.every((o) => o.ok)).toBe(true);
    expect(server.stats().batches).toMatchObject({ cancelRequests: 1, cancelledBatches: 1, batches: 2 });
    expect(storedJobs(databaseFile)[0]).toEqual(cancelledJob('ended', 'unneeded'));
  });
});

/** What a gateway killed between storing a cancel and storing its answer leaves in the file. */
function markCancellingUnacknowledged(databaseFile: string): void {
  const sqlite = new Database(databaseFile);
  try {
    sqlite
      .prepare(
        "UPDATE batch_jobs SET state = 'cancelling', cancel_reason = 'unneeded', cancel_requested_at = ?",
      )
      .run(Date.now());
  } finally {
    sqlite.close();
  }
}
