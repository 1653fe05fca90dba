import { describe, expect, it } from 'vitest';
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
import { evaluationRequests } from './batch-support.js';
import { startFailingProxy } from './failing-proxy.js';
import { tempDatabaseFile, waitFor } from './helpers.js';

// The simulator keeps a cancelled batch cancelling far longer than any grace here, as a provider
// that never finishes a cancel would.
const NEVER_ENDS = { cancelDelayMs: 600_000 };
const released = cancelledJob('released', 'deadline');

describe.each([['openai:default'], ['anthropic:default']])('a batch through %s', (model) => {
  it('still cancelling after cancelGraceMs has its lines sent live, and what it billed reaches the ledger when it ends', async () => {
    // Cancelled at 1.2 s with a line or two answered; the cancel takes 2 s, the grace 0.6 s.
    const server = await startBatchSim({ ...SLOW_LINES, cancelDelayMs: 2_000 });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests(model, LINES, 'run-grace');
    const logs = logCollector();
    const service = gatewayOn(server, databaseFile, { liveAfterMs: 1_200, cancelGraceMs: 600 }, logs.logger);
    service.setBudget({ runId: 'run-grace', maxCalls: 100 });
    const outcomes = await service.completeBatch(requests, { execution: 'batch' });
    const finishedAt = Date.now();

    const [job] = storedJobs(databaseFile);
    expect(storedJobs(databaseFile)).toEqual([released]);
    expect(finishedAt - job!.cancel_requested_at!).toBeGreaterThanOrEqual(600);
    const atRelease = server.stats();
    // Cancelled once, at the deadline, after a few lines were done; not ended yet.
    expect(atRelease.batches).toMatchObject({ batches: 1, cancelRequests: 1, cancelledBatches: 0 });
    expect(atRelease.batches.answeredLines).toBeGreaterThanOrEqual(1);
    // The provider gives no results while cancelling, so the gateway cannot tell which lines it
    // answered: every line goes live, once each.
    expect(atRelease.requests).toBe(LINES);
    expect(service.usage('run-grace').totals).toMatchObject({ calls: LINES, paidCalls: LINES, savedUsd: 0 });
    expect(service.getBudget('run-grace').reservedUsd).toBe(0);
    expect(service.pendingBatches()).toEqual([]);

    // Still polled: when the provider ends it, the lines it answered are in the ledger, paid twice.
    await waitFor(() => storedJobs(databaseFile)[0]?.state === 'ended', 1_000);
    const ended = server.stats().batches;
    expect(ended.cancelledBatches).toBe(1);
    const billed = ended.answeredLines;
    expect(billed).toBeLessThan(LINES);
    expect(logs.records.filter((record) => record.level === 40)).toEqual([
      expect.objectContaining({
        lines: billed,
        msg: expect.stringMatching(/^a batch whose lines went live at cancelGraceMs ended: .* paid twice/),
      }),
    ]);
    const { totals } = service.usage('run-grace');
    expect(totals).toMatchObject({ calls: LINES + billed, paidCalls: LINES + billed, savedUsd: 0 });
    // The run's budget counts them too, though they held no claim on it.
    expect(service.getBudget('run-grace')).toMatchObject({ paidCalls: LINES + billed, inFlightCalls: 0 });
    // The cache keeps the live answers the callers got: a replay sends nothing and answers the same.
    const replay = await service.completeBatch(requests, { execution: 'batch' });
    expect(answerTexts(replay)).toEqual(answerTexts(outcomes));
    expect(server.stats().requests).toBe(LINES);

    const live = await gatewayOn(server).completeBatch(requests, {});
    expect(answerTexts(outcomes)).toEqual(answerTexts(live));
  });

  it('released and then restarted: the new gateway follows it to its end for the ledger, reserving nothing', async () => {
    const server = await startBatchSim({ ...SLOW_LINES, cancelDelayMs: 2_500 });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests(model, LINES, 'run-released');
    const settings = { liveAfterMs: 1_200, cancelGraceMs: 600 };
    const first = gatewayOn(server, databaseFile, settings);
    await first.completeBatch(requests, { execution: 'batch' });
    await first.close();
    expect(storedJobs(databaseFile)).toEqual([released]);

    const second = gatewayOn(server, databaseFile, settings);
    // Resumed for the ledger only: nobody waits on its lines, so it is neither pending nor reserved.
    await second.completeBatch([], { execution: 'batch' });
    expect(second.pendingBatches()).toEqual([]);
    expect(second.getBudget('run-released').reservedUsd).toBe(0);
    await waitFor(() => storedJobs(databaseFile)[0]?.state === 'ended', 1_000);
    const billed = server.stats().batches.answeredLines;
    expect(billed).toBeGreaterThanOrEqual(1);
    expect(second.usage('run-released').totals).toMatchObject({ paidCalls: LINES + billed, savedUsd: 0 });
    expect(server.stats().batches).toMatchObject({ batches: 1, cancelRequests: 1 });
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
    expect(storedJobs(databaseFile)).toEqual([released]);
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

describe('a released batch at its end', () => {
  it('leaves the live answer its caller got in the cache, where the batch answered the line too', async () => {
    const server = await startBatchSim({ ...SLOW_LINES, cancelDelayMs: 2_000 });
    // Live answers marked, so the cache tells which answer it holds.
    const proxy = await startFailingProxy(server.url, () => undefined, {
      rewrite: (route, body) => (route === 'POST /v1/chat/completions' ? markedLive(body) : body),
    });
    closeAfterTest(proxy.close);
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests('openai:default', LINES, 'run-live-kept');
    const service = gatewayOn(proxy, databaseFile, { liveAfterMs: 1_200, cancelGraceMs: 600 });
    const outcomes = answerTexts(await service.completeBatch(requests, { execution: 'batch' }));
    expect(outcomes.every((text) => text.endsWith(LIVE_MARK))).toBe(true);

    await waitFor(() => storedJobs(databaseFile)[0]?.state === 'ended', 1_000);
    expect(server.stats().batches.answeredLines).toBeGreaterThanOrEqual(1);
    const replay = await service.completeBatch(requests, { execution: 'batch' });
    expect(replay.every((o) => o.ok && o.result.cached)).toBe(true);
    expect(answerTexts(replay)).toEqual(outcomes);
  });

  it('warns of nothing paid twice when the batch answered no line before its cancel', async () => {
    // Cancelled at its first poll past 100 ms, before the first line is done (at 500 ms).
    const server = await startBatchSim({ ...SLOW_LINES, cancelDelayMs: 1_000 });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests('openai:default', LINES, 'run-none-billed');
    const logs = logCollector();
    const service = gatewayOn(server, databaseFile, { liveAfterMs: 100, cancelGraceMs: 300 }, logs.logger);
    answerTexts(await service.completeBatch(requests, { execution: 'batch' }));
    await waitFor(() => storedJobs(databaseFile)[0]?.state === 'ended', 1_000);
    expect(server.stats().batches).toMatchObject({ answeredLines: 0, cancelledBatches: 1 });
    expect(logs.records.filter((record) => record.level === 40)).toEqual([]);
    expect(service.usage('run-none-billed').totals).toMatchObject({ calls: LINES, paidCalls: LINES });
  });
});

const LIVE_MARK = ' [live]';

/** An OpenAI chat completion whose answer ends with LIVE_MARK. */
function markedLive(body: Buffer): Buffer {
  const completion = JSON.parse(body.toString()) as { choices: Array<{ message: { content: string } }> };
  for (const choice of completion.choices) choice.message.content += LIVE_MARK;
  return Buffer.from(JSON.stringify(completion));
}
