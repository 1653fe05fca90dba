import path from 'node:path';
import { createDatasetsService } from '@metaspo/datasets';
import {
  createOptimizerService,
  expectedCalls,
  type OptimizerService,
  parseRunConfig,
  totalRequests,
} from '@metaspo/optimizer';
import { createAnswerKey, type SimServer, startSimServer } from '@metaspo/simulator';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { smallConfig, TRAIN_TASKS } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

// A short heartbeat, and an expiry that a loaded machine's pauses do not reach.
const TIMING = { heartbeatMs: 50, expiryMs: 1_000 };
// Over HTTP (the simulator's server), so the owner's heartbeats run between calls as they do
// against a real provider; the in-process simulator answers without yielding to timers.
const models = { baseModel: 'openai:default', optimizerModel: 'openai:default' } as const;
const config = smallConfig({ iterations: 2, trainSize: 10, testSize: 20, concurrency: 4, ...models });

/** Waits for the run's first node, so it is mid-execution. */
async function untilFirstNode(service: OptimizerService, runId: string): Promise<void> {
  for await (const event of service.events(runId, -1, AbortSignal.timeout(20_000))) {
    if (event.type === 'node') return;
  }
}

describe('one owner per run: two optimizer services on one SQLite file', () => {
  let platform: Platform;
  let owner: OptimizerService;
  let other: OptimizerService;
  let sim: SimServer;
  beforeAll(async () => {
    const datasets = createDatasetsService({ databaseFile: ':memory:' });
    const answerKey = createAnswerKey(datasets.answerKey(TRAIN_TASKS));
    datasets.close();
    sim = await startSimServer({ answerKey, latencyMs: 2, malformedRate: 0 });
    platform = await createPlatform({
      env: { OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'sk-test-run-leases' },
    });
    const open = () =>
      createOptimizerService({
        databaseFile: path.join(platform.dir, 'optimizer.sqlite'),
        llm: platform.llm,
        evaluator: platform.evaluator,
        datasets: platform.datasets,
        leaseTiming: TIMING,
      });
    owner = open();
    other = open();
  });
  afterAll(async () => {
    await other?.close();
    await owner?.close();
    await platform?.close();
    await sim?.close();
  });

  it('refuses a resume while another service executes the run, naming the owner; the provider gets each request once', async () => {
    const before = sim.stats().requests;
    const run = owner.createRun({ config: { ...config, seed: 3 } });
    owner.startRun(run.id);
    await untilFirstNode(owner, run.id);
    expect(() => other.resumeRun(run.id)).toThrow(
      new RegExp(`run ${run.id} is being executed by pid ${process.pid} on host `),
    );
    expect(other.getRun(run.id).status).toBe('running');
    const finished = await owner.waitForRun(run.id);
    expect(finished.status).toBe('completed');
    const requests = totalRequests(expectedCalls(parseRunConfig(config), TRAIN_TASKS.length));
    // Every request of the formula was answered once: paid (sent to the provider, counted by
    // it) or replayed from the cache (repeats within the run). A second executor would have
    // sent its own copies.
    const usage = (await platform.llm.usage.query({ runId: run.id })).totals;
    expect(usage.paidCalls + usage.cachedCalls).toBe(requests);
    expect(sim.stats().requests - before).toBe(usage.paidCalls);
  });

  it("stops the owner's run within a heartbeat when another service cancels it, resumable anywhere", async () => {
    const run = owner.createRun({ config: { ...config, seed: 4 } });
    owner.startRun(run.id);
    await untilFirstNode(owner, run.id);
    const asked = Date.now();
    const cancelled = await other.cancelRun(run.id);
    const stoppedAfterMs = Date.now() - asked;
    expect(cancelled.status).toBe('cancelled');
    expect((await owner.waitForRun(run.id)).status).toBe('cancelled');
    // The owner reads the request at its next heartbeat, then lets in-flight calls settle.
    expect(stoppedAfterMs).toBeLessThan(TIMING.expiryMs);
    other.resumeRun(run.id);
    expect(owner.getRun(run.id).status).toBe('running');
    expect((await other.waitForRun(run.id)).status).toBe('completed');
  });

  it('cancels under the lease when the owner missed its heartbeats: the late owner stops without overwriting', async () => {
    const sluggish = createOptimizerService({
      databaseFile: path.join(platform.dir, 'optimizer.sqlite'),
      llm: platform.llm,
      evaluator: platform.evaluator,
      datasets: platform.datasets,
      leaseTiming: { heartbeatMs: 500, expiryMs: 1_000 },
    });
    try {
      const run = sluggish.createRun({ config: { ...config, seed: 6 } });
      sluggish.startRun(run.id);
      await untilFirstNode(sluggish, run.id);
      // As if its event loop had stalled past the expiry: the row is there, but no longer live.
      const sqlite = new Database(path.join(platform.dir, 'optimizer.sqlite'));
      sqlite
        .prepare("update leases set expires_at = ? where kind = 'run' and subject_id = ?")
        .run(Date.now() - 1, run.id);
      sqlite.close();
      expect((await other.cancelRun(run.id)).status).toBe('cancelled');
      const late = await sluggish.waitForRun(run.id);
      expect(late.status).toBe('cancelled');
      expect(other.getRun(run.id).status).toBe('cancelled');
      other.resumeRun(run.id);
      expect((await other.waitForRun(run.id)).status).toBe('completed');
    } finally {
      await sluggish.close();
    }
  });

  it('shows a run left running by a dead owner as interrupted, and resumes it', async () => {
    const run = owner.createRun({ config: { ...config, seed: 5 } });
    // What a killed process leaves: the row says running, no lease is held.
    const sqlite = new Database(path.join(platform.dir, 'optimizer.sqlite'));
    sqlite.prepare("update runs set status = 'running' where id = ?").run(run.id);
    sqlite.close();
    expect(other.getRun(run.id).status).toBe('interrupted');
    expect(other.listRuns({ status: 'interrupted' }).map((r) => r.id)).toEqual([run.id]);
    expect(other.listRuns({ status: 'running' }).map((r) => r.id)).not.toContain(run.id);
    owner.resumeRun(run.id);
    expect(other.getRun(run.id).status).toBe('running');
    expect((await owner.waitForRun(run.id)).status).toBe('completed');
  });
});
