import type { CompletionBatchRequestInput, ExecutionMode } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { createEvaluatorService } from '../src/service.js';
import { fakeDatasets, fakeLlm, okOutcome, toyExamples, YES_NO_TASK } from './port-fakes.js';

describe('execution of an evaluation', () => {
  it("hands the gateway the pair's execution, and leaves it out when the request has none", async () => {
    const seen: Array<ExecutionMode | undefined> = [];
    const llm = fakeLlm(() => okOutcome('yes'));
    const answer = llm.completeBatch.mutate;
    llm.completeBatch = {
      mutate: (input: CompletionBatchRequestInput, options) => {
        seen.push(input.execution);
        return answer(input, options);
      },
    };
    const service = createEvaluatorService({
      databaseFile: ':memory:',
      llm,
      datasets: fakeDatasets(toyExamples(3)),
    });
    const pair = {
      systemPrompt: '',
      userPrompt: '{question}',
      taskId: YES_NO_TASK.id,
      split: 'test' as const,
      n: 3,
      model: 'sim:default',
    };
    await service.evaluate({ ...pair, execution: 'batch' });
    await service.evaluate({ ...pair, seed: 7 });
    expect(seen).toEqual(['batch', undefined]);
    service.close();
  });
});
