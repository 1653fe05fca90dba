import { getEventListeners } from 'node:events';
import type { CompletionBatchRequestInput } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { createEvaluatorService } from '../src/service.js';
import { fakeDatasets, fakeLlm, okOutcome, toyExamples, YES_NO_TASK } from './port-fakes.js';

describe('the caller signal of evaluateMany', () => {
  it('carries one listener however many pairs, and its abort reaches every gateway batch', async () => {
    const received: AbortSignal[] = [];
    const llm = fakeLlm(() => okOutcome('yes'));
    // Like tRPC's local link: a listener on the signal of every call, never removed.
    llm.completeBatch = {
      mutate: (input: CompletionBatchRequestInput, options) =>
        new Promise((_resolve, reject) => {
          const signal = options?.signal;
          if (signal) received.push(signal);
          signal?.addEventListener('abort', () => reject(new Error(`aborted ${input.requests.length}`)));
        }),
    };
    const service = createEvaluatorService({
      databaseFile: ':memory:',
      llm,
      datasets: fakeDatasets(toyExamples(3)),
      concurrency: 16,
    });
    const controller = new AbortController();
    const requests = Array.from({ length: 16 }, (_, i) => ({
      systemPrompt: '',
      userPrompt: `Variant ${i}. {question}`,
      taskId: YES_NO_TASK.id,
      split: 'test' as const,
      n: 3,
      seed: 1,
      model: 'sim:default',
    }));
    const evaluation = service.evaluateMany(requests, { signal: controller.signal });
    while (received.length < requests.length) await new Promise((resolve) => setImmediate(resolve));
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(1);
    expect(new Set(received).size).toBe(requests.length);

    controller.abort();
    await expect(evaluation).rejects.toThrow();
    expect(received.every((signal) => signal.aborted)).toBe(true);
    expect(getEventListeners(controller.signal, 'abort')).toHaveLength(0);
    service.close();
  });
});
