import path from 'node:path';
import { createDatasetsRouter, createDatasetsService } from '@metaspo/datasets';
import { createEvaluatorRouter, createEvaluatorService } from '@metaspo/evaluator';
import { expectedCalls, SPRIG_DEFAULTS } from '@metaspo/optimizer';
import { DEFAULT_SYSTEM_PROMPT, type RunConfigInput, RunConfigSchema } from '@metaspo/schemas';
import { createServiceClient } from '@metaspo/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd, TRAIN_TASKS } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';
import { platformWithCorpus } from './support/sprig-fixture.js';

const BASE = 'sim:default';
const OPTIMIZER = 'sim:strong';
const TASKS = TRAIN_TASKS.slice(0, 2);
const N = SPRIG_DEFAULTS.candidatesPerIteration;

const sprigConfig = (overrides: Partial<RunConfigInput>): RunConfigInput => ({
  method: 'sprig',
  metaTrainTasks: TASKS,
  baseModel: BASE,
  optimizerModel: OPTIMIZER,
  iterations: 2,
  trainSize: 6,
  testSize: 10,
  concurrency: 16,
  ...overrides,
});

describe('SPRIG', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await platformWithCorpus({
      gateway: { concurrency: 64, providers: { sim: { malformedRate: 0 } } },
    });
  });
  afterAll(async () => platform?.close());

  const configs: Array<Partial<RunConfigInput>> = [
    { iterations: 1, trainSize: 6, testSize: 8 },
    { iterations: 2, trainSize: 5, testSize: 7, seed: 3 },
  ];
  for (const overrides of configs) {
    it(`sends the requests of its formula ${JSON.stringify(overrides)} (gateway ledger per model)`, async () => {
      const input = sprigConfig(overrides);
      const run = await runToEnd(platform, input);
      expect(run.status, run.error ?? '').toBe('completed');
      const config = RunConfigSchema.parse(input);
      const { trainSize: n, testSize: m, iterations: I } = config;
      const T = TASKS.length;
      const expected = expectedCalls(config, T);
      expect(expected).toEqual({
        baseTrain: T * n * (1 + I * N),
        baseTest: T * m,
        optimizer: (I - 1) * (N / 4),
      });

      const nodes = platform.optimizer.listNodes(run.id);
      const candidates = nodes.filter((x) => x.taskId === null && x.iteration >= 1);
      expect(candidates).toHaveLength(I * N);
      expect(candidates.filter((x) => x.droppedReason)).toEqual([]);
      // Iteration 1 edits the empty prompt: N adds of N different components.
      const first = candidates.filter((x) => x.iteration === 1);
      expect(new Set(first.map((x) => x.systemPrompt)).size).toBe(N);
      for (const x of first) expect(x.systemPrompt.split('\n')).toHaveLength(1);
      // Pairs evaluated on train: one per task for every prompt not scored before.
      const evaluatedPairs = nodes.filter((x) => x.taskId !== null && x.evaluationIds.length > 0);
      const calls = run.result!.calls;
      expect(calls.baseTrain).toBe(evaluatedPairs.length * n);
      expect(calls.baseTrain).toBeLessThanOrEqual(expected.baseTrain);
      if (I === 1) expect(calls.baseTrain).toBe(expected.baseTrain);
      const repeats = candidates.length + 1 - evaluatedPairs.length / T;
      expect(calls.baseTrain).toBe(expected.baseTrain - repeats * T * n);
      expect(calls.baseTest).toBe(expected.baseTest);
      expect(calls.optimizer).toBe(expected.optimizer);
      expect(calls.optimizerRetries).toBe(0);

      const usage = await platform.llm.usage.query({ runId: run.id });
      const ledger = (model: string) => usage.byModel.find((x) => x.model === model)?.calls ?? 0;
      expect(ledger(BASE)).toBe(calls.baseTrain + calls.baseTest);
      expect(ledger(OPTIMIZER)).toBe(calls.optimizer);

      // The result is the best prompt by train score over every scored one.
      const best = Math.max(...nodes.filter((x) => x.taskId === null).map((x) => x.trainScore ?? -1));
      expect(run.result!.scores.final).toBe(best);
      const bestNode = nodes.find(
        (x) => x.taskId === null && x.systemPrompt === run.result!.optimizedSystemPrompt,
      );
      expect(bestNode?.trainScore).toBe(best);
    }, 120_000);
  }

  it('keeps the best candidates of an iteration as the next beam, each edited once per kind', async () => {
    const run = await runToEnd(platform, sprigConfig({ iterations: 2, trainSize: 5, testSize: 5, seed: 8 }));
    expect(run.status).toBe('completed');
    const nodes = platform.optimizer.listNodes(run.id);
    const byId = new Map(nodes.map((x) => [x.id, x]));
    const level = (i: number) => nodes.filter((x) => x.taskId === null && x.iteration === i);
    const parents = [...new Set(level(2).map((x) => x.parentId))].map((id) => byId.get(id!)!);
    const uniqueFirst = [...new Map(level(1).map((x) => [x.systemPrompt, x])).values()];
    expect(parents).toHaveLength(Math.min(SPRIG_DEFAULTS.beamWidth, uniqueFirst.length));
    const worstKept = Math.min(...parents.map((p) => p.trainScore!));
    for (const other of uniqueFirst.filter((x) => !parents.includes(x))) {
      expect(other.trainScore!).toBeLessThanOrEqual(worstKept);
    }
    for (const parent of parents) {
      const children = level(2).filter((x) => x.parentId === parent.id);
      expect(children).toHaveLength(N / SPRIG_DEFAULTS.beamWidth);
      const parentComponents = parent.systemPrompt.split('\n');
      // One component each in iteration 1: the swap and the delete fall back to adds.
      const lengths = children.map((c) => c.systemPrompt.split('\n').length).sort();
      expect(lengths).toEqual([1, 2, 2, 2]);
      const rephrased = children.find((c) => c.systemPrompt.split('\n').length === 1)!;
      expect(rephrased.systemPrompt).not.toBe(parent.systemPrompt);
      for (const child of children.filter((c) => c !== rephrased)) {
        expect(child.systemPrompt.split('\n')).toEqual(expect.arrayContaining(parentComponents));
      }
    }
  }, 120_000);

  it("beats the default system prompt on the meta-train tasks' test split", async () => {
    const input = sprigConfig({ iterations: 3, trainSize: 10, testSize: 40, seed: 42 });
    const run = await runToEnd(platform, input);
    expect(run.status).toBe('completed');
    const datasetsService = createDatasetsService({
      databaseFile: path.join(platform.dir, 'datasets.sqlite'),
    });
    const datasets = createServiceClient({ router: createDatasetsRouter(datasetsService) });
    const evaluatorService = createEvaluatorService({
      databaseFile: ':memory:',
      llm: platform.llm,
      datasets,
    });
    const evaluator = createServiceClient({ router: createEvaluatorRouter(evaluatorService) });
    try {
      const scores = await Promise.all(
        TASKS.map(async (taskId) => {
          const task = await datasets.tasks.get.query({ id: taskId });
          const result = await evaluator.evaluate.mutate({
            systemPrompt: DEFAULT_SYSTEM_PROMPT,
            userPrompt: task.initialUserPrompt,
            taskId,
            split: 'test',
            n: 40,
            seed: 42,
            model: BASE,
            temperature: 0,
            includeItems: false,
          });
          return result.score;
        }),
      );
      const defaultTest = scores.reduce((a, b) => a + b, 0) / scores.length;
      expect(run.result!.optimizedSystemPrompt).not.toBe('');
      const sprigTest = run.result!.scores.test ?? 0;
      console.info(
        `sprig test ${sprigTest.toFixed(3)} vs default ${defaultTest.toFixed(3)}: ${JSON.stringify(run.result!.optimizedSystemPrompt)}`,
      );
      expect(sprigTest).toBeGreaterThan(defaultTest);
    } finally {
      evaluatorService.close();
      datasetsService.close();
    }
  }, 180_000);

  it('cancelled mid-way, resumes to the same prompt without sending a base request twice', async () => {
    // Cancelled as its first iteration starts, with two more to go: under load the events reach
    // this loop late, and a cancel at the last iteration could land after the run's last node.
    const input = sprigConfig({ iterations: 3, trainSize: 6, testSize: 8, seed: 21, baseModel: 'sim:weak' });
    const run = platform.optimizer.createRun({ config: input });
    platform.optimizer.startRun(run.id);
    for await (const event of platform.optimizer.events(run.id, -1, AbortSignal.timeout(60_000))) {
      if (event.type === 'phase' && event.phase === 'outer' && event.iteration === 1) break;
    }
    const cancelled = await platform.optimizer.cancelRun(run.id);
    expect(cancelled.status).toBe('cancelled');
    const nodesAtCancel = platform.optimizer.listNodes(run.id).length;
    platform.optimizer.resumeRun(run.id);
    const resumed = await platform.optimizer.waitForRun(run.id);
    expect(resumed.status).toBe('completed');
    expect(platform.optimizer.listNodes(run.id).length).toBeGreaterThan(nodesAtCancel);

    const usage = await platform.llm.usage.query({ runId: run.id });
    const base = usage.byModel.find((x) => x.model === 'sim:weak')!;
    const calls = resumed.result!.calls;
    // Every distinct base request was paid once; what the cancel cut short came from the cache.
    expect(base.paidCalls).toBe(calls.baseTrain + calls.baseTest);

    const reference = await platformWithCorpus({
      gateway: { concurrency: 64, providers: { sim: { malformedRate: 0 } } },
    });
    try {
      const uninterrupted = await runToEnd(reference, input);
      expect(resumed.result!.optimizedSystemPrompt).toBe(uninterrupted.result!.optimizedSystemPrompt);
      expect(resumed.result!.scores).toEqual(uninterrupted.result!.scores);
      expect(calls).toMatchObject({
        baseTrain: uninterrupted.result!.calls.baseTrain,
        baseTest: uninterrupted.result!.calls.baseTest,
        optimizer: uninterrupted.result!.calls.optimizer,
      });
    } finally {
      await reference.close();
    }
  }, 180_000);

  it('fails at once, naming the fetch command, when the corpus is not fetched', async () => {
    const bare = await createPlatform();
    try {
      const run = await runToEnd(bare, sprigConfig({}));
      expect(run.status).toBe('failed');
      expect(run.error).toMatch(/component corpus/);
      expect(run.error).toMatch(/metaspo datasets fetch --all/);
      expect(run.error).toMatch(/--from DIR/);
      expect(bare.optimizer.listNodes(run.id)).toEqual([]);
      expect((await bare.llm.usage.query({ runId: run.id })).totals.calls).toBe(0);
    } finally {
      await bare.close();
    }
  }, 60_000);
});
