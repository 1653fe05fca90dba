import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { runEvaluatorBench } from '@metaspo/evaluator/bench';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { MIXED_TASK_IDS, type RealStack, startRealStack } from './support/real-stack.js';

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
  const started = performance.now();
  const result = await runEvaluatorBench({
    llm: stack.llm,
    datasets: stack.datasets,
    taskIds: MIXED_TASK_IDS,
    dir,
    pairsPerTask: 2,
    n: 10,
    passes,
  });
  const elapsedSeconds = (performance.now() - started) / 1000;
  const evaluations = MIXED_TASK_IDS.length * 2;
  const items = evaluations * 10;
  expect(result.freshPasses).toHaveLength(passes);
  expect(result.cachedPasses).toHaveLength(passes);
  const timed = [...result.freshPasses, ...result.cachedPasses, result.gatewayAlone, result.evaluatorOnly];
  for (const pass of timed) {
    expect(pass).toMatchObject({ evaluations, items });
    // Checked against this test's own clock: no pass can be slower than the whole bench.
    expect(pass.seconds).toBeGreaterThan(0);
    expect(pass.itemsPerSecond).toBeGreaterThanOrEqual(items / elapsedSeconds);
  }
  // The passes run one after another inside the bench, so their times add up to at most its own.
  const timedSeconds = [result.warmUp, ...timed].reduce((sum, pass) => sum + pass.seconds, 0);
  expect(timedSeconds).toBeLessThanOrEqual(elapsedSeconds);

  // The reported figure is a middle pass: at least half the passes on either side of it.
  for (const [figure, all] of [
    [result.fresh, result.freshPasses],
    [result.cached, result.cachedPasses],
  ] as const) {
    expect(all).toContain(figure);
    const half = Math.ceil(all.length / 2);
    expect(all.filter((p) => p.itemsPerSecond <= figure.itemsPerSecond).length).toBeGreaterThanOrEqual(half);
    expect(all.filter((p) => p.itemsPerSecond >= figure.itemsPerSecond).length).toBeGreaterThanOrEqual(half);
  }
  expect(result.meetsTarget).toBe(result.fresh.itemsPerSecond >= result.target);

  // Every fresh pass reached the provider for every item (no pass replays another's cache
  // entries); the cached passes and the gateway-alone pass were all served from the cache.
  const { totals } = await stack.llm.usage.query({});
  expect(totals.failedCalls).toBe(0);
  expect(totals.paidCalls).toBe(result.warmUp.items + passes * items);
  expect(totals.cachedCalls).toBe(passes * items + result.gatewayAlone.items);

  // Persistence is part of what is timed: every evaluated pair of the fresh and cached passes
  // (and of the warm-up) is a row in the bench's SQLite file.
  const stored = new Database(path.join(dir, 'evaluator-bench.sqlite'), { readonly: true });
  try {
    const row = stored.prepare<[], { n: number }>('SELECT count(*) AS n FROM evaluations').get();
    expect(row?.n).toBe(result.warmUp.evaluations + 2 * passes * evaluations);
  } finally {
    stored.close();
  }
});

it('rejects a bench without a fresh pass', async () => {
  await expect(
    runEvaluatorBench({ llm: stack.llm, datasets: stack.datasets, taskIds: MIXED_TASK_IDS, dir, passes: 0 }),
  ).rejects.toThrow(/passes must be 1 or more/);
});
