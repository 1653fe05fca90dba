import { domainCodeOf } from '@metaspo/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd, smallConfig } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

const config = smallConfig({
  iterations: 1,
  numSystemCandidates: 2,
  trainSize: 8,
  testSize: 10,
  concurrency: 4,
});

describe('run lifecycle', () => {
  let platform: Platform;
  let reference: Awaited<ReturnType<typeof runToEnd>>;
  beforeAll(async () => {
    platform = await createPlatform();
    reference = await runToEnd(platform, { ...config, seed: 7 });
  });
  afterAll(async () => platform?.close());

  it('cancels a running run, leaving it resumable to the same result', async () => {
    const run = platform.optimizer.createRun({ config: { ...config, seed: 7, baseModel: 'sim:weak' } });
    platform.optimizer.startRun(run.id);
    for await (const event of platform.optimizer.events(run.id, -1, AbortSignal.timeout(20_000))) {
      if (event.type === 'node') break;
    }
    const cancelled = await platform.optimizer.cancelRun(run.id);
    expect(cancelled.status).toBe('cancelled');
    const nodesAtCancel = platform.optimizer.listNodes(run.id).length;
    platform.optimizer.resumeRun(run.id);
    const resumed = await platform.optimizer.waitForRun(run.id);
    expect(resumed.status).toBe('completed');
    expect(platform.optimizer.listNodes(run.id).length).toBeGreaterThan(nodesAtCancel);
    const uninterrupted = await runToEnd(platform, { ...config, seed: 7, baseModel: 'sim:weak' });
    expect(resumed.result?.optimizedSystemPrompt).toBe(uninterrupted.result?.optimizedSystemPrompt);
    expect(resumed.result?.scores).toEqual(uninterrupted.result?.scores);
  });

  it('stops at the budget and resumes with a higher one', async () => {
    // A seed of its own: the gateway counts paid calls against the budget, and cached ones are free.
    const run = platform.optimizer.createRun({ config: { ...config, seed: 11, budget: { maxCalls: 40 } } });
    platform.optimizer.startRun(run.id);
    const stopped = await platform.optimizer.waitForRun(run.id);
    expect(stopped.status).toBe('budget-exceeded');
    platform.optimizer.resumeRun(run.id, { maxCalls: 100_000 });
    const resumed = await platform.optimizer.waitForRun(run.id);
    expect(resumed.status).toBe('completed');
    const uninterrupted = await runToEnd(platform, { ...config, seed: 11 });
    expect(resumed.result?.optimizedSystemPrompt).toBe(uninterrupted.result?.optimizedSystemPrompt);
    expect(resumed.result?.scores).toEqual(uninterrupted.result?.scores);
  });

  it('refuses to start twice and names bad config fields', async () => {
    expect(() => platform.optimizer.startRun(reference.id)).toThrow(/only a created run/);
    let error: unknown;
    try {
      await platform.optimizerClient.runs.create.mutate({
        config: 'metaTrainTasks: [proc_navigation]\ntrainSize: 0\n',
      });
    } catch (e) {
      error = e;
    }
    expect(domainCodeOf(error)).toBe('INVALID_INPUT');
    expect(String(error)).toMatch(/trainSize.*line 2/);
  });

  it('pauses a running run on close, resumable by a new service on the same files', async () => {
    const { createPlatform: reopen } = await import('./support/platform.js');
    const own = await reopen();
    const run = own.optimizer.createRun({ config: { ...config, seed: 7 } });
    own.optimizer.startRun(run.id);
    for await (const event of own.optimizer.events(run.id, -1, AbortSignal.timeout(20_000))) {
      if (event.type === 'node') break;
    }
    await own.close();
    const again = await reopen({ dir: own.dir });
    try {
      expect(again.optimizer.getRun(run.id).status).toBe('paused');
      again.optimizer.resumeRun(run.id);
      const done = await again.optimizer.waitForRun(run.id);
      expect(done.result?.optimizedSystemPrompt).toBe(reference.result?.optimizedSystemPrompt);
    } finally {
      await again.close();
    }
  });
});
