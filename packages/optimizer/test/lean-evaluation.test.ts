import {
  type DatasetsClient,
  type EvaluationRequestInput,
  type EvaluationResult,
  type EvaluatorClient,
  type LlmClient,
  RunConfigSchema,
} from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { RunContext } from '../src/engine/context.js';
import { nodeDraft } from '../src/engine/nodes.js';
import { memoryStepStore } from '../src/engine/step-store.js';

/** An evaluator that records its requests and scores every pair 0.75 over 4 calls. */
function recordingEvaluator() {
  const requests: EvaluationRequestInput[] = [];
  const evaluate = async (input: EvaluationRequestInput): Promise<EvaluationResult> => {
    requests.push(input);
    return {
      id: `ev_${requests.length}`,
      taskId: input.taskId,
      split: input.split ?? 'test',
      model: input.model,
      metric: 'accuracy',
      score: 0.75,
      correct: 3,
      n: 4,
      scoring: input.scoring ?? 'strict',
      formatFailures: 0,
      usage: { promptTokens: 40, completionTokens: 8 },
      calls: 4,
      cachedCalls: 1,
      systemPrompt: input.systemPrompt,
      userPrompt: input.userPrompt,
      createdAt: new Date(0).toISOString(),
      items: [],
    };
  };
  const client = { evaluate: { mutate: evaluate } } as unknown as EvaluatorClient;
  return { client, requests };
}

describe('RunContext.evaluate', () => {
  it('asks the evaluator for scores only (no items) and records score, id and calls', async () => {
    const evaluator = recordingEvaluator();
    const config = RunConfigSchema.parse({ metaTrainTasks: ['t'], trainSize: 4 });
    const store = memoryStepStore('run-1');
    const ctx = new RunContext(
      'run-1',
      config,
      [],
      {
        evaluator: evaluator.client,
        llm: {} as unknown as LlmClient,
        datasets: {} as unknown as DatasetsClient,
      },
      store,
      new AbortController().signal,
      4,
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

    const scored = await ctx.evaluate(node, 'train');

    expect(evaluator.requests).toEqual([
      expect.objectContaining({ split: 'train', n: 4, includeItems: false }),
    ]);
    expect(scored).toMatchObject({ trainScore: 0.75, evaluationIds: ['ev_1'] });
    expect(store.findNode('s0')).toMatchObject({ trainScore: 0.75, evaluationIds: ['ev_1'] });
    expect(store.callTotals()).toMatchObject({ baseTrain: 4, cached: 1 });
  });
});
