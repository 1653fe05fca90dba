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

it('measures fresh, cached and evaluator-only passes over the same items', async () => {
  const result = await runEvaluatorBench({
    llm: stack.llm,
    datasets: stack.datasets,
    taskIds: MIXED_TASK_IDS,
    dir,
    pairsPerTask: 2,
    n: 10,
  });
  const items = MIXED_TASK_IDS.length * 2 * 10;
  for (const pass of [result.fresh, result.cached, result.evaluatorOnly]) {
    expect(pass).toMatchObject({ evaluations: MIXED_TASK_IDS.length * 2, items });
    expect(pass.itemsPerSecond).toBeCloseTo(items / pass.seconds, 6);
  }
  expect(result.meetsTarget).toBe(result.fresh.itemsPerSecond >= result.target);
});
