import { expectedCalls } from '@metaspo/optimizer';
import type { NodeRecord, RunConfigInput } from '@metaspo/schemas';
import { RunConfigSchema } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd, smallConfig, TRAIN_TASKS } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

const BASE = 'sim:default';
const OPTIMIZER = 'sim:strong';
const TASKS = TRAIN_TASKS.slice(0, 2);

/**
 * The baselines' request counts against call-count.ts, read from the gateway's ledger per model
 * (base and optimizer are different simulator variants). The simulator sends no malformed
 * replies here, so no candidate is dropped or retried and the formula is exact for train and
 * optimizer requests; for test it is a bound, each kept node being tested once.
 */
describe('request counts of the user-prompt baselines (gateway ledger per model)', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await createPlatform({
      gateway: { concurrency: 64, providers: { sim: { malformedRate: 0 } } },
    });
  });
  afterAll(async () => platform?.close());

  async function counted(overrides: Partial<RunConfigInput>) {
    const input = smallConfig({
      metaTrainTasks: TASKS,
      baseModel: BASE,
      optimizerModel: OPTIMIZER,
      ...overrides,
    });
    const run = await runToEnd(platform, input);
    expect(run.status).toBe('completed');
    const nodes = platform.optimizer.listNodes(run.id);
    expect(nodes.filter((n) => n.droppedReason)).toEqual([]);
    const usage = await platform.llm.usage.query({ runId: run.id });
    const ledger = (model: string) => usage.byModel.find((m) => m.model === model)?.calls ?? 0;
    const config = RunConfigSchema.parse(input);
    const tested = nodes.filter((n) => n.testScore !== null);
    return {
      config,
      nodes,
      tested,
      calls: run.result!.calls,
      expected: expectedCalls(config, TASKS.length),
      base: ledger(BASE),
      optimizer: ledger(OPTIMIZER),
    };
  }

  const protegiConfigs: Array<Partial<RunConfigInput>> = [
    { method: 'protegi', adaptIterations: 2, trainSize: 8, testSize: 10 },
    {
      method: 'protegi',
      adaptIterations: 1,
      numUserCandidates: 2,
      userTopK: 2,
      beamSize: 2,
      trainSize: 6,
      testSize: 7,
    },
  ];
  for (const overrides of protegiConfigs) {
    it(`protegi ${JSON.stringify(overrides)}`, async () => {
      const c = await counted(overrides);
      const { numUserCandidates: U, beamSize: B, adaptIterations: A, trainSize: n, testSize: m } = c.config;
      expect(c.expected.baseTrain).toBe(TASKS.length * n * (1 + U + A * B * U));
      expect(c.expected.optimizer).toBe(TASKS.length * 2 * (U + A * B * U));
      expect(c.calls.baseTrain).toBe(c.expected.baseTrain);
      expect(c.calls.optimizer).toBe(c.expected.optimizer);
      expect(c.calls.optimizerRetries).toBe(0);
      expect(c.calls.baseTest).toBe(c.tested.length * m);
      expect(c.calls.baseTest).toBeLessThanOrEqual(c.expected.baseTest);
      expect(c.base).toBe(c.calls.baseTrain + c.calls.baseTest);
      expect(c.optimizer).toBe(c.calls.optimizer);
      for (const taskId of TASKS)
        expectBeamSearch(
          c.nodes.filter((x) => x.taskId === taskId),
          U,
          B,
          A,
        );
    }, 90_000);
  }

  const apeConfigs: Array<Partial<RunConfigInput>> = [
    { method: 'ape', apeProposals: 3, apeResamples: 2, trainSize: 8, testSize: 10 },
    { method: 'ape', apeProposals: 2, apeResamples: 1, userTopK: 2, trainSize: 6, testSize: 7 },
  ];
  for (const overrides of apeConfigs) {
    it(`ape ${JSON.stringify(overrides)}`, async () => {
      const c = await counted(overrides);
      const { apeProposals: P, apeResamples: R, userTopK: K, trainSize: n, testSize: m } = c.config;
      expect(c.expected.baseTrain).toBe(TASKS.length * n * (1 + P + K * R));
      expect(c.expected.optimizer).toBe(TASKS.length * (P + K * R));
      expect(c.calls.baseTrain).toBe(c.expected.baseTrain);
      expect(c.calls.optimizer).toBe(c.expected.optimizer);
      expect(c.calls.optimizerRetries).toBe(0);
      // The initial prompt and the best one per task: once when the initial prompt stays best.
      expect(c.tested.length).toBeGreaterThanOrEqual(TASKS.length);
      expect(c.calls.baseTest).toBe(c.tested.length * m);
      expect(c.calls.baseTest).toBeLessThanOrEqual(c.expected.baseTest);
      expect(c.base).toBe(c.calls.baseTrain + c.calls.baseTest);
      expect(c.optimizer).toBe(c.calls.optimizer);
      for (const taskId of TASKS) {
        const nodes = c.nodes.filter((x) => x.taskId === taskId);
        expect(nodes.filter((x) => x.iteration === 1)).toHaveLength(P);
        expect(nodes.filter((x) => x.iteration === 2)).toHaveLength(K * R);
        expect(nodes.find((x) => x.phase === 'initial')?.testScore).not.toBeNull();
      }
    }, 90_000);
  }
});

/**
 * One task's ProTeGi nodes: level 1 expands the initial prompt into U candidates; every later
 * level expands the B nodes kept after the one before, each into U candidates. The kept nodes
 * (the parents of the next level) are the best by train score and are all tested.
 */
function expectBeamSearch(nodes: NodeRecord[], U: number, B: number, A: number): void {
  const initial = nodes.find((n) => n.phase === 'initial');
  expect(initial).toBeDefined();
  const level = (l: number) => nodes.filter((n) => n.iteration === l && n.phase !== 'initial');
  const byId = new Map(nodes.map((n) => [n.id, n]));
  expect(level(1)).toHaveLength(U);
  expect(level(A + 2)).toHaveLength(0);
  let pool: NodeRecord[] = [initial!, ...level(1)];
  for (let l = 2; l <= A + 1; l += 1) {
    const parents = [...new Set(level(l).map((n) => n.parentId))].map((id) => byId.get(id ?? '')!);
    expect(parents).toHaveLength(Math.min(B, pool.length));
    expect(level(l)).toHaveLength(parents.length * U);
    const worstKept = Math.min(...parents.map((p) => p.trainScore!));
    for (const other of pool.filter((n) => !parents.includes(n)))
      expect(other.trainScore!).toBeLessThanOrEqual(worstKept);
    for (const parent of parents) expect(parent.testScore, parent.id).not.toBeNull();
    pool = [...parents, ...level(l)];
  }
  expect(initial!.testScore).not.toBeNull();
}
