import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { runEvaluatorBench } from '../src/bench.js';
import { MIXED_TASK_IDS, type RealStack, startRealStack } from './real-stack.js';

let stack: RealStack;
let dir: string;
beforeAll(async () => {
  stack = await startRealStack();
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evaluator-bench-'));
});
afterAll(async () => {
  await stack?.close();
  fs.rmSync(dir, { recursive: true, force: true });
});

it('measures every fresh pass on prompts of its own, and the cached, gateway and evaluator-only passes', async () => {
  const passes = 3;
  const result = await runEvaluatorBench({
    llm: stack.llm,
    datasets: stack.datasets,
    taskIds: MIXED_TASK_IDS,
    dir,
    pairsPerTask: 2,
    n: 10,
    passes,
  });
  const evaluations = MIXED_TASK_IDS.length * 2;
  const items = evaluations * 10;
  expect(result.passes).toBe(passes);
  expect(result.freshPasses).toHaveLength(passes);
  expect(result.cachedPasses).toHaveLength(passes);
  for (const pass of [
    ...result.freshPasses,
    ...result.cachedPasses,
    result.gatewayAlone,
    result.evaluatorOnly,
  ]) {
    expect(pass).toMatchObject({ evaluations, items });
    expect(pass.itemsPerSecond).toBeCloseTo(items / pass.seconds, 6);
  }
  const bySpeed = (a: { itemsPerSecond: number }, b: { itemsPerSecond: number }) =>
    a.itemsPerSecond - b.itemsPerSecond;
  expect(result.fresh).toBe([...result.freshPasses].sort(bySpeed)[1]);
  expect(result.cached).toBe([...result.cachedPasses].sort(bySpeed)[1]);
  expect(result.meetsTarget).toBe(result.fresh.itemsPerSecond >= result.target);

  // Every fresh pass reached the provider for every item (no pass replays another's cache
  // entries); the cached passes and the gateway-alone pass were all served from the cache.
  const { totals } = await stack.llm.usage.query({});
  expect(totals.failedCalls).toBe(0);
  expect(totals.paidCalls).toBe(result.warmUp.items + passes * items);
  expect(totals.cachedCalls).toBe(passes * items + result.gatewayAlone.items);
});

it('rejects a bench without a fresh pass', async () => {
  await expect(
    runEvaluatorBench({ llm: stack.llm, datasets: stack.datasets, taskIds: MIXED_TASK_IDS, dir, passes: 0 }),
  ).rejects.toThrow(/passes must be 1 or more/);
});
