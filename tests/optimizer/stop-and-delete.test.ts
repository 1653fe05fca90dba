import { createDatasetsService } from '@metaspo/datasets';
import type { MetaTestStartInput } from '@metaspo/schemas';
import { createAnswerKey, type SimServer, startSimServer } from '@metaspo/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ledgerCalls, smallConfig, TRAIN_TASKS } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

async function until<T>(
  read: () => Promise<T> | T,
  done: (value: T) => boolean,
  timeoutMs = 20_000,
): Promise<T> {
  const start = Date.now();
  for (;;) {
    const value = await read();
    if (done(value)) return value;
    if (Date.now() - start > timeoutMs) throw new Error('condition not reached in time');
    await sleep(20);
  }
}

describe('cancel stops the calls, delete removes stopped runs and meta-tests', () => {
  let sim: SimServer;
  let platform: Platform;
  let unseenTasks: string[];

  beforeAll(async () => {
    const datasets = createDatasetsService({ databaseFile: ':memory:' });
    const split = datasets.getDomainSplit('procedural');
    unseenTasks = split.test.slice(0, 2);
    const answerKey = createAnswerKey(datasets.answerKey([...TRAIN_TASKS, ...unseenTasks]));
    datasets.close();
    // Slow enough (20 ms a request, 8 at once) that the test acts while work is in flight.
    sim = await startSimServer({ answerKey, latencyMs: 20 });
    platform = await createPlatform({
      env: { OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'test' },
      gateway: { concurrency: 8 },
    });
  });
  afterAll(async () => {
    await platform.close();
    await sim.close();
  });

  it('a cancelled run makes no call after its cancel returns', async () => {
    const client = platform.optimizerClient;
    const run = await client.runs.create.mutate({
      config: smallConfig({ baseModel: 'openai:default', optimizerModel: 'openai:default', concurrency: 64 }),
    });
    await client.runs.start.mutate({ id: run.id });
    await until(
      () => ledgerCalls(platform, run.id),
      (calls) => calls > 20,
    );
    const cancelled = await client.runs.cancel.mutate({ id: run.id });
    expect(cancelled.status).toBe('cancelled');
    const atCancel = await ledgerCalls(platform, run.id);
    await sleep(300);
    expect(await ledgerCalls(platform, run.id)).toBe(atCancel);
  });

  it('refuses to delete a running run, deletes a stopped one with its nodes and events', async () => {
    const client = platform.optimizerClient;
    const run = await client.runs.create.mutate({
      config: smallConfig({ baseModel: 'openai:default', optimizerModel: 'openai:default' }),
    });
    await client.runs.start.mutate({ id: run.id });
    await expect(client.runs.delete.mutate({ id: run.id })).rejects.toThrow(/is running: cancel it first/);
    await until(
      () => ledgerCalls(platform, run.id),
      (calls) => calls > 0,
    );
    await client.runs.cancel.mutate({ id: run.id });
    const nodes = (await client.nodes.list.query({ runId: run.id })).length;
    const removed = await client.runs.delete.mutate({ id: run.id });
    expect(removed).toMatchObject({ id: run.id, deleted: true, nodes });
    expect(removed.events).toBeGreaterThan(0);
    await expect(client.runs.get.query({ id: run.id })).rejects.toThrow(/not found/);
    // The gateway's ledger keeps what the run's calls made.
    expect(await ledgerCalls(platform, run.id)).toBeGreaterThan(0);
  });

  it('shows a running meta-test progress, cancels it, resumes it to the end and deletes it', async () => {
    const client = platform.optimizerClient;
    const input: MetaTestStartInput = {
      kind: 'unseen',
      tasks: unseenTasks,
      userPrompts: 'generated',
      unseenUserPrompts: 2,
      testSize: 60,
      baseModel: 'openai:default',
      optimizerModel: 'sim:default',
    };
    const started = await client.metaTests.start.mutate(input);
    const running = await until(
      () => client.metaTests.get.query({ id: started.id }),
      (record) => (record.progress?.requestsDone ?? 0) > 0,
    );
    expect(running.status).toBe('running');
    expect(running.progress?.requestsPlanned).toBe(2 * 3 * 2 * 60);
    expect(running.calls).toBeGreaterThan(0);
    await expect(client.metaTests.delete.mutate({ id: started.id })).rejects.toThrow(/is running/);

    const cancelled = await client.metaTests.cancel.mutate({ id: started.id });
    expect(cancelled.status).toBe('cancelled');
    expect(cancelled.progress).toBeNull();
    const atCancel = await ledgerCalls(platform, started.id);
    await sleep(300);
    expect(await ledgerCalls(platform, started.id)).toBe(atCancel);

    await client.metaTests.resume.mutate({ id: started.id });
    const done = await platform.optimizer.waitForMetaTest(started.id);
    expect(done.status).toBe('completed');
    expect(done.unseen?.tasks).toHaveLength(2);

    expect(await client.metaTests.delete.mutate({ id: started.id })).toMatchObject({ deleted: true });
    expect(await client.metaTests.list.query({})).toEqual([]);
  });
});
