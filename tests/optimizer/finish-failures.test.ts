import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { smallConfig } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

const config = smallConfig({
  iterations: 1,
  numSystemCandidates: 2,
  trainSize: 8,
  testSize: 10,
  concurrency: 4,
});
const metaTestInput = {
  kind: 'adapt' as const,
  includeFixed: false,
  systemPrompts: [{ label: 'careful', prompt: 'You are a careful assistant. Check your answer.' }],
  iterations: 2,
  testSize: 10,
  trainSize: 10,
};

describe("a storage error at a run's or meta-test's end", () => {
  let platform: Platform;
  let sqlite: Database.Database;
  const unhandled: unknown[] = [];
  const record = (reason: unknown) => unhandled.push(reason);
  beforeAll(async () => {
    platform = await createPlatform();
    // A second connection, as a failing disk would look to the service: triggers refuse writes.
    sqlite = new Database(path.join(platform.dir, 'optimizer.sqlite'));
    process.on('unhandledRejection', record);
  });
  afterEach(() => {
    for (const name of ['refuse_run_end', 'refuse_meta_test_end'])
      sqlite.exec(`drop trigger if exists ${name}`);
  });
  afterAll(async () => {
    process.off('unhandledRejection', record);
    sqlite?.close();
    await platform?.close();
  });

  it('marks the run failed with the reason, and it resumes to completion', async () => {
    sqlite.exec(`create trigger refuse_run_end before update of status on runs when new.status = 'completed'
      begin select raise(abort, 'database or disk is full'); end`);
    const run = platform.optimizer.createRun({ config: { ...config, seed: 21 } });
    platform.optimizer.startRun(run.id);
    const failed = await platform.optimizer.waitForRun(run.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('storing the end of the run failed: database or disk is full');
    sqlite.exec('drop trigger refuse_run_end');
    platform.optimizer.resumeRun(run.id);
    expect((await platform.optimizer.waitForRun(run.id)).status).toBe('completed');
    expect(unhandled).toEqual([]);
  });

  it('leaves a run whose every end write fails as interrupted (resumable), without an unhandled rejection', async () => {
    sqlite.exec(`create trigger refuse_run_end before update of status on runs when new.status <> 'running'
      begin select raise(abort, 'database is locked'); end`);
    const run = platform.optimizer.createRun({ config: { ...config, seed: 22 } });
    platform.optimizer.startRun(run.id);
    const ended = await platform.optimizer.waitForRun(run.id);
    expect(ended.status).toBe('interrupted');
    expect(platform.optimizer.listRuns({ status: 'interrupted' }).map((r) => r.id)).toContain(run.id);
    sqlite.exec('drop trigger refuse_run_end');
    platform.optimizer.resumeRun(run.id);
    expect((await platform.optimizer.waitForRun(run.id)).status).toBe('completed');
    expect(unhandled).toEqual([]);
  });

  it('marks the meta-test failed with the reason, and it resumes to completion', async () => {
    sqlite.exec(`create trigger refuse_meta_test_end before update of status on meta_tests
      when new.status = 'completed' begin select raise(abort, 'database or disk is full'); end`);
    const tasks = [platform.split.test[0]!];
    const started = await platform.optimizerClient.metaTests.start.mutate({
      ...metaTestInput,
      tasks,
      seed: 5,
    });
    const failed = await platform.optimizer.waitForMetaTest(started.id);
    expect(failed.status).toBe('failed');
    expect(failed.error).toBe('storing the end of the meta-test failed: database or disk is full');
    sqlite.exec('drop trigger refuse_meta_test_end');
    await platform.optimizerClient.metaTests.resume.mutate({ id: started.id });
    const resumed = await platform.optimizer.waitForMetaTest(started.id);
    expect(resumed.status).toBe('completed');
    expect(resumed.adapt?.tasks).toHaveLength(1);
    expect(unhandled).toEqual([]);
  });
});

describe('a meta-test budget', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await createPlatform();
  });
  afterAll(async () => platform?.close());

  it('stops the meta-test at its budget, resumable with a higher one to the unbudgeted result', async () => {
    const tasks = [platform.split.test[1]!];
    const started = await platform.optimizerClient.metaTests.start.mutate({
      ...metaTestInput,
      tasks,
      seed: 9,
      budget: { maxCalls: 25 },
    });
    const stopped = await platform.optimizer.waitForMetaTest(started.id);
    expect(stopped.status).toBe('budget-exceeded');
    expect(stopped.error).toMatch(/25 calls/);
    const spent = platform.gateway.usage(started.id).totals.paidCalls;
    expect(spent).toBeLessThanOrEqual(25);
    await expect(
      platform.optimizerClient.metaTests.resume.mutate({ id: started.id, budget: { maxCalls: -1 } }),
    ).rejects.toThrow(/maxCalls/);
    await platform.optimizerClient.metaTests.resume.mutate({ id: started.id, budget: { maxCalls: 100_000 } });
    const resumed = await platform.optimizer.waitForMetaTest(started.id);
    expect(resumed.status).toBe('completed');
    const reference = await platform.optimizer.waitForMetaTest(
      (await platform.optimizerClient.metaTests.start.mutate({ ...metaTestInput, tasks, seed: 9 })).id,
    );
    expect(resumed.adapt).toEqual(reference.adapt);
  });

  it('refuses oversized meta-test inputs naming the limit', async () => {
    const tooMany = Array.from({ length: 21 }, (_, i) => ({ label: `p${i}`, prompt: 'Answer.' }));
    await expect(
      platform.optimizerClient.metaTests.start.mutate({ ...metaTestInput, systemPrompts: tooMany }),
    ).rejects.toThrow(/at most 20 system prompts per meta-test/);
    await expect(
      platform.optimizerClient.metaTests.start.mutate({
        ...metaTestInput,
        systemPrompts: [{ label: 'long', prompt: 'x'.repeat(20_001) }],
      }),
    ).rejects.toThrow(/at most 20000 characters/);
    await expect(
      platform.optimizerClient.metaTests.start.mutate({
        ...metaTestInput,
        tasks: Array.from({ length: 101 }, (_, i) => `task_${i}`),
      }),
    ).rejects.toThrow(/at most 100 tasks per meta-test/);
  });
});
