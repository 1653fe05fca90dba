import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunRecord } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

describe('meta-test on unseen procedural tasks', () => {
  let platform: Platform;
  let run: RunRecord;
  beforeAll(async () => {
    platform = await createPlatform();
    run = await runToEnd(platform, {
      metaTrainTasks: 'procedural',
      iterations: 2,
      numSystemCandidates: 3,
      trainSize: 20,
      testSize: 20,
      concurrency: 32,
    });
  }, 120_000);
  afterAll(async () => platform?.close());

  it("MetaSPO's optimized system prompt beats the default one on unseen tasks", async () => {
    expect(run.status).toBe('completed');
    const started = await platform.optimizerClient.metaTests.start.mutate({
      kind: 'unseen',
      runId: run.id,
      unseenUserPrompts: 3,
      testSize: 40,
    });
    expect(started.taskIds).toEqual(platform.split.test);
    const record = await platform.optimizer.waitForMetaTest(started.id);
    expect(record.status).toBe('completed');
    const result = record.unseen!;
    expect(result.labels).toEqual(['default', 'chain-of-thought', 'service', 'optimized']);
    expect(result.tasks).toHaveLength(platform.split.test.length);
    // The registry holds no reference user prompts for procedural tasks: they are generated.
    for (const task of result.tasks) {
      expect(task.userPrompts.length).toBeGreaterThan(0);
      expect(task.userPromptOrigin).toBe('generated');
    }
    expect(record.scoring).toBe('strict');
    expect(record.systemPrompts.map((p) => p.origin)).toEqual(['builtin', 'builtin', 'builtin', 'optimized']);
    expect(result.domainAverages.map((d) => d.domain)).toEqual(['procedural']);
    expect(result.overall.optimized).toBeGreaterThan(result.overall.default!);
    // The stored user prompts are reused: a second meta-test compares on the same ones.
    const again = await platform.optimizer.waitForMetaTest(
      (
        await platform.optimizerClient.metaTests.start.mutate({
          kind: 'unseen',
          runId: run.id,
          unseenUserPrompts: 3,
          testSize: 40,
        })
      ).id,
    );
    expect(again.unseen!.tasks.map((t) => t.userPrompts)).toEqual(result.tasks.map((t) => t.userPrompts));
    expect(platform.optimizer.listMetaTests(run.id).map((m) => m.id)).toContain(record.id);
  }, 120_000);

  it('records test-time adaptation curves and the iterations to reach the default prompt', async () => {
    const started = await platform.optimizerClient.metaTests.start.mutate({
      kind: 'adapt',
      runId: run.id,
      tasks: [platform.split.test[0]!],
      iterations: 2,
      testSize: 20,
    });
    const record = await platform.optimizer.waitForMetaTest(started.id);
    expect(record.status).toBe('completed');
    const [task] = record.adapt!.tasks;
    expect(task!.curves.map((c) => c.label)).toEqual(['default', 'chain-of-thought', 'service', 'optimized']);
    for (const curve of task!.curves) {
      // The initial prompt, the initial expansion, then the 2 rounds.
      expect(curve.points.map((p) => p.iteration)).toEqual([0, 1, 2, 3]);
      expect(curve.points.map((p) => p.beamTestScores?.length)).toEqual([1, 3, 3, 3]);
      for (const p of curve.points) expect(p.beamTestScores?.[0]).toBe(p.testScore);
      const train = curve.points.map((p) => p.bestTrainScore);
      expect(train).toEqual([...train].sort((a, b) => a - b));
    }
    const defaultCurve = task!.curves.find((c) => c.label === 'default')!;
    expect(defaultCurve.iterationsToReachDefault).not.toBeNull();
    expect(task!.defaultFinalScore).toBe(defaultCurve.points.at(-1)!.testScore);
    expect(record.adapt!.meanCurves.optimized).toHaveLength(4);
  }, 120_000);
});

describe('resuming a meta-test', () => {
  const input = {
    kind: 'adapt' as const,
    includeFixed: false,
    systemPrompts: [
      { label: 'plain', prompt: 'You are a helpful assistant.' },
      { label: 'careful', prompt: 'You are a careful assistant. Check your answer before giving it.' },
    ],
    iterations: 3,
    testSize: 20,
    trainSize: 20,
  };

  it('runs a stopped meta-test again under its id, paying for nothing twice', async () => {
    const uninterrupted = await createPlatform();
    const tasks = [uninterrupted.split.test[0]!];
    const reference = await uninterrupted.optimizer.waitForMetaTest(
      (await uninterrupted.optimizerClient.metaTests.start.mutate({ ...input, tasks })).id,
    );
    expect(reference.status).toBe('completed');
    const referencePaid = uninterrupted.gateway.usage(reference.id).totals.paidCalls;
    await uninterrupted.close();

    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-meta-test-resume-'));
    const first = await createPlatform({ dir });
    const started = await first.optimizerClient.metaTests.start.mutate({ ...input, tasks });
    // A call budget stops it part-way, as a budget or a failing provider would.
    first.gateway.setBudget({ runId: started.id, maxCalls: 300 });
    const stopped = await first.optimizer.waitForMetaTest(started.id);
    expect(stopped.status).toBe('budget-exceeded');
    expect(stopped.error).toMatch(/budget/i);
    await first.close();

    const second = await createPlatform({ dir });
    expect(second.optimizer.getMetaTest(started.id).status).toBe('budget-exceeded');
    const paidBefore = second.gateway.usage(started.id).totals.paidCalls;
    expect(paidBefore).toBeGreaterThan(0);
    expect(paidBefore).toBeLessThanOrEqual(300);
    second.gateway.setBudget({ runId: started.id, maxCalls: null });
    // Two resumes at once: one starts it, the other is refused.
    const attempts = await Promise.allSettled([
      second.optimizerClient.metaTests.resume.mutate({ id: started.id }),
      second.optimizerClient.metaTests.resume.mutate({ id: started.id }),
    ]);
    const resumed = attempts.flatMap((a) => (a.status === 'fulfilled' ? [a.value] : []));
    expect(resumed).toHaveLength(1);
    expect(resumed[0]).toMatchObject({ id: started.id, status: 'running', error: null });
    const refused = attempts.find((a) => a.status === 'rejected');
    expect(String(refused?.status === 'rejected' && refused.reason)).toMatch(/still running/);
    const record = await second.optimizer.waitForMetaTest(started.id);
    expect(record.status).toBe('completed');
    expect(record.adapt).toEqual(reference.adapt);
    const usage = second.gateway.usage(started.id).totals;
    expect(usage.paidCalls).toBe(referencePaid);
    expect(usage.cachedCalls).toBeGreaterThanOrEqual(paidBefore);
    await expect(second.optimizerClient.metaTests.resume.mutate({ id: started.id })).rejects.toThrow(
      /has completed/,
    );
    await expect(second.optimizerClient.metaTests.resume.mutate({ id: 'mt_missing' })).rejects.toThrow(
      /not found/,
    );
    await second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }, 120_000);
});

describe('racing a meta-test’s ProTeGi levels (userSelection: racing)', () => {
  it('gives the curves full gives and pays for fewer base requests', async () => {
    const input = {
      kind: 'adapt' as const,
      includeFixed: false,
      systemPrompts: [{ label: 'plain', prompt: 'You are a helpful assistant.' }],
      iterations: 2,
      testSize: 20,
      trainSize: 40,
    };
    // Each on a platform of its own: no cache shared between them.
    const adapt = async (userSelection: 'full' | 'racing') => {
      const platform = await createPlatform();
      try {
        const tasks = [platform.split.test[0]!];
        const started = await platform.optimizerClient.metaTests.start.mutate({
          ...input,
          tasks,
          userSelection,
        });
        const record = await platform.optimizer.waitForMetaTest(started.id);
        expect(record.status).toBe('completed');
        return { record, paid: platform.gateway.usage(started.id).totals.paidCalls };
      } finally {
        await platform.close();
      }
    };
    const full = await adapt('full');
    const racing = await adapt('racing');
    expect(racing.record.adapt).toEqual(full.record.adapt);
    expect(racing.paid).toBeLessThan(full.paid);
  }, 120_000);
});
