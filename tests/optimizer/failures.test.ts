import { createDatasetsService } from '@metaspo/datasets';
import { expectedCalls, totalRequests } from '@metaspo/optimizer';
import type { RunConfigInput } from '@metaspo/schemas';
import { createAnswerKey, type SimServer, startSimServer } from '@metaspo/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerCalls, runToEnd, smallConfig, TRAIN_TASKS } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

describe('a call that cannot succeed fails the run at once', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await createPlatform();
  });
  afterAll(() => platform.close());

  it('fails a run on sim:defualt with the reason instead of completing with zeros', async () => {
    // The service's own createRun skips the preflight, as a config edited behind its back would.
    const config = smallConfig({ baseModel: 'sim:defualt' });
    const run = await runToEnd(platform, config);
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/unknown simulator model|defualt/);
    expect(run.result).toBeNull();
    // Stopped in its first wave of evaluations, not after the whole formula's worth of calls.
    const planned = totalRequests(expectedCalls({ ...run.config }, TRAIN_TASKS.length));
    expect(await ledgerCalls(platform, run.id)).toBeLessThan(planned / 4);
    // Its resume through the router is refused by the same preflight instead of failing again.
    await expect(platform.optimizerClient.runs.resume.mutate({ id: run.id })).rejects.toThrow(
      /cannot resume: baseModel: sim:defualt cannot be used/,
    );
    expect((await platform.optimizerClient.runs.get.query({ id: run.id })).status).toBe('failed');
  });

  it('fails a meta-test whose base model cannot be called instead of printing a table of zeros', async () => {
    const started = await platform.optimizer.startMetaTest({
      kind: 'unseen',
      tasks: platform.split.test.slice(0, 1),
      userPrompts: 'generated',
      unseenUserPrompts: 1,
      testSize: 10,
      baseModel: 'sim:defualt',
    });
    const done = await platform.optimizer.waitForMetaTest(started.id);
    expect(done.status).toBe('failed');
    expect(done.error).toMatch(/defualt/);
    expect(done.unseen).toBeNull();
  });
});

describe('failed items beyond maxFailedItemShare stop the run as failed; within it they are counted apart', () => {
  let sim: SimServer;
  let platform: Platform;
  const config = (overrides: Partial<RunConfigInput>): RunConfigInput =>
    smallConfig({
      metaTrainTasks: TRAIN_TASKS.slice(0, 2),
      baseModel: 'openai:default',
      optimizerModel: 'sim:default',
      iterations: 1,
      numSystemCandidates: 2,
      numUserCandidates: 2,
      userTopK: 2,
      trainSize: 8,
      testSize: 8,
      ...overrides,
    });

  beforeAll(async () => {
    const datasets = createDatasetsService({ databaseFile: ':memory:' });
    const answerKey = createAnswerKey(datasets.answerKey(TRAIN_TASKS.slice(0, 2)));
    datasets.close();
    // A fifth of the base model's requests answer 500; the gateway is told not to retry them.
    sim = await startSimServer({ answerKey, failRate: 0.2, failKinds: ['500'], faultSeed: 3 });
    platform = await createPlatform({
      env: { OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'test' },
      gateway: { concurrency: 8, retries: { maxAttempts: 1 } },
    });
  });
  afterAll(async () => {
    await platform.close();
    await sim.close();
  });

  it('stops as failed (resumable) with the count and the provider error at the default share 0', async () => {
    const run = await runToEnd(platform, config({ seed: 5 }));
    expect(run.status).toBe('failed');
    expect(run.error).toMatch(/\d+ of 8 calls failed evaluating task proc_\w+ \(train split\)/);
    expect(run.error).toMatch(/maxFailedItemShare 0/);
    expect(run.error).toMatch(/server/);
    expect(run.result).toBeNull();
  });

  it('completes within a tolerated share and reports the failed items in its calls', async () => {
    const run = await runToEnd(platform, config({ seed: 6, maxFailedItemShare: 1 }));
    expect(run.status).toBe('completed');
    const failedItems = run.result?.calls.failedItems ?? 0;
    expect(failedItems).toBeGreaterThan(0);
    const exported = await platform.optimizer.exportRun(run.id);
    expect(exported.calls.failedItems).toBe(failedItems);
    // Every failed item is a failed gateway call of the base model (no retries configured).
    const usage = await platform.llm.usage.query({ runId: run.id });
    expect(usage.totals.failedCalls).toBe(failedItems);
  });
});
