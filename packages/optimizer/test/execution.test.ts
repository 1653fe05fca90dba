import {
  type DatasetsClient,
  type EvaluationRequestInput,
  type EvaluationResult,
  type EvaluatorClient,
  ExperimentConfigSchema,
  type LlmClient,
  RunConfigSchema,
} from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { RunContext } from '../src/engine/context.js';
import { nodeDraft } from '../src/engine/nodes.js';
import { memoryStepStore } from '../src/engine/step-store.js';
import { validateExperimentConfig } from '../src/experiments/config.js';
import { gridCells, metaTestOverrides } from '../src/experiments/grid.js';

/** Runs one train evaluation of a new node under `execution` and returns what the evaluator got. */
async function evaluationRequestUnder(execution: 'live' | 'batch' | undefined) {
  const requests: EvaluationRequestInput[] = [];
  const evaluate = async (input: EvaluationRequestInput): Promise<EvaluationResult> => {
    requests.push(input);
    return {
      id: 'ev_1',
      taskId: input.taskId,
      split: 'train',
      model: input.model,
      metric: 'accuracy',
      score: 0.5,
      correct: 1,
      n: 2,
      scoring: 'strict',
      formatFailures: 0,
      usage: { promptTokens: 4, completionTokens: 2 },
      calls: 2,
      cachedCalls: 0,
      systemPrompt: input.systemPrompt,
      userPrompt: input.userPrompt,
      createdAt: new Date(0).toISOString(),
      items: [],
    };
  };
  const config = RunConfigSchema.parse({
    metaTrainTasks: ['t'],
    trainSize: 2,
    ...(execution ? { execution } : {}),
  });
  const ctx = new RunContext(
    'run-x',
    config,
    [],
    {
      evaluator: { evaluate: { mutate: evaluate } } as unknown as EvaluatorClient,
      llm: {} as unknown as LlmClient,
      datasets: {} as unknown as DatasetsClient,
    },
    memoryStepStore('run-x'),
    new AbortController().signal,
    2,
  );
  const node = await ctx.ensureNode('s0', async () =>
    nodeDraft({
      parentId: null,
      kind: 'user',
      taskId: 't',
      systemPrompt: 'S',
      userPrompt: 'Q: {question}',
      iteration: 0,
      phase: 'initial',
      candidateIndex: 0,
    }),
  );
  await ctx.evaluate(node, 'train');
  return requests[0]!;
}

describe('execution', () => {
  it('is live by default, and the evaluations of a live run carry no execution (the request as before)', async () => {
    expect(RunConfigSchema.parse({ metaTrainTasks: ['t'] }).execution).toBe('live');
    expect('execution' in (await evaluationRequestUnder(undefined))).toBe(false);
    expect('execution' in (await evaluationRequestUnder('live'))).toBe(false);
  });

  it("sends a batch run's evaluations with execution batch", async () => {
    expect(await evaluationRequestUnder('batch')).toMatchObject({ execution: 'batch', split: 'train' });
  });

  it('reaches every run and meta-test of an experiment from its top-level field, never from `run`', () => {
    const config = ExperimentConfigSchema.parse({
      name: 'e',
      domains: ['medical'],
      methods: ['default', 'metaspo'],
      baseModel: 'sim:default',
      optimizerModel: 'sim:default',
      execution: 'batch',
    });
    const cells = gridCells(config, [{ name: 'medical', metaTrainTasks: ['a'], metaTestTasks: ['b'] }]);
    expect(cells.map((c) => [c.kind, c.config.execution])).toEqual([
      ['train', 'batch'],
      ['unseen', 'batch'],
      ['adapt', 'batch'],
    ]);
    expect(metaTestOverrides(cells[1]!.config)).toMatchObject({ execution: 'batch' });
    const unlinked = gridCells({ ...config, methods: ['default'] }, [
      { name: 'medical', metaTrainTasks: ['a'], metaTestTasks: ['b'] },
    ]);
    expect(unlinked.map((c) => c.config.execution)).toEqual(['batch', 'batch']);

    const perRun = validateExperimentConfig({ ...config, run: { execution: 'batch' } });
    expect(perRun.ok).toBe(false);
    expect(perRun.issues).toEqual([expect.objectContaining({ path: 'run.execution' })]);
  });
});
