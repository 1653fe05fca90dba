import type { EvaluatorClient } from '@metaspo/schemas';
import { createServiceClient, domainCodeOf, serve } from '@metaspo/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createEvaluatorRouter, type EvaluatorRouter } from '../src/router.js';
import { createEvaluatorService, type EvaluatorService } from '../src/service.js';
import {
  fakeDatasets,
  fakeLlm,
  okOutcome,
  parityAnswer,
  tagged,
  toyExamples,
  YES_NO_TASK,
} from './port-fakes.js';

const PAIR = {
  systemPrompt: '',
  userPrompt: 'Q: {question}',
  taskId: YES_NO_TASK.id,
  model: 'sim:default',
  n: 6,
};

let service: EvaluatorService;
afterEach(() => service.close());

function build(answer = (text: string) => text) {
  const llm = fakeLlm((request) => okOutcome(tagged(answer(parityAnswer(request)))));
  service = createEvaluatorService({ databaseFile: ':memory:', llm, datasets: fakeDatasets(toyExamples(6)) });
  return createEvaluatorRouter(service);
}

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('evaluator router', () => {
  it('satisfies the EvaluatorClient port through createServiceClient', async () => {
    const client: EvaluatorClient = createServiceClient<EvaluatorRouter>({ router: build() });
    const [result] = await client.evaluateMany.mutate({ requests: [PAIR] });
    expect(result).toMatchObject({ score: 1, n: 6, correct: 6 });
    const single = await client.evaluate.mutate({ ...PAIR, n: 2 });
    expect(single.createdAt).toEqual(expect.any(String));
    expect(await client.wrongExamples.query({ evaluationId: single.id, k: 3, seed: 1 })).toEqual([]);
    expect(await client.outcomes.query({ evaluationId: single.id })).toEqual([
      { exampleId: 'ex-0', correct: true, failed: false },
      { exampleId: 'ex-1', correct: true, failed: false },
    ]);
  });

  it('serves get, list and extract, and maps domain errors to tRPC codes', async () => {
    const client = createServiceClient<EvaluatorRouter>({
      router: build((answer) => (answer === 'yes' ? 'no' : 'maybe')),
    });
    const result = await client.evaluate.mutate(PAIR);
    expect(result.score).toBe(0);
    expect(await client.get.query({ id: result.id })).toEqual(result);
    expect((await client.list.query()).map((e) => e.id)).toEqual([result.id]);
    expect((await client.list.query({ taskId: 'other' })).length).toBe(0);
    const untagged = { taskId: YES_NO_TASK.id, response: 'Answer: Nope' };
    expect(await client.extract.query(untagged)).toEqual({ prediction: null, valid: false });
    expect(await client.extract.query({ ...untagged, scoring: 'lenient' })).toEqual({
      prediction: 'no',
      valid: true,
    });

    const badPrompt = await errorOf(client.evaluate.mutate({ ...PAIR, userPrompt: 'no placeholder' }));
    expect(domainCodeOf(badPrompt)).toBe('INVALID_INPUT');
    expect((badPrompt as { data?: { code?: string } }).data?.code).toBe('BAD_REQUEST');
    expect((badPrompt as Error).message).toMatch(/exactly once/);
    expect(domainCodeOf(await errorOf(client.get.query({ id: 'missing' })))).toBe('NOT_FOUND');
    const zodError = await errorOf(client.evaluate.mutate({ ...PAIR, n: 0 }));
    expect((zodError as { data?: { code?: string } }).data?.code).toBe('BAD_REQUEST');
  });

  it('answers the same over HTTP', async () => {
    const served = await serve(build(), { port: 0 });
    try {
      const client: EvaluatorClient = createServiceClient<EvaluatorRouter>({ url: served.url });
      const result = await client.evaluate.mutate(PAIR);
      expect(result).toMatchObject({ score: 1, n: 6 });
    } finally {
      await served.close();
    }
  });
});
