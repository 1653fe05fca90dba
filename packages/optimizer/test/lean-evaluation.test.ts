import { RunConfigSchema } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { memoryStepStore } from '../src/engine/step-store.js';
import { evaluateOneNode, recordingEvaluator } from './fixtures/recording-evaluator.js';

describe('RunContext.evaluate', () => {
  it('asks the evaluator for scores only (no items) and records score, id and calls', async () => {
    const evaluator = recordingEvaluator();
    const config = RunConfigSchema.parse({ metaTrainTasks: ['t'], trainSize: 4 });
    const store = memoryStepStore('run-1');
    const scored = await evaluateOneNode(config, evaluator.client, store);

    expect(evaluator.requests).toEqual([
      expect.objectContaining({ split: 'train', n: 4, includeItems: false }),
    ]);
    expect(scored).toMatchObject({ trainScore: 0.75, evaluationIds: ['ev_1'] });
    expect(store.findNode('s0')).toMatchObject({ trainScore: 0.75, evaluationIds: ['ev_1'] });
    expect(store.callTotals()).toMatchObject({ baseTrain: 4, cached: 1 });
  });
});
