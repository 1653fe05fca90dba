import { createServiceClient } from '@metaspo/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createEvaluatorRouter, type EvaluatorRouter } from '../src/router.js';
import { createEvaluatorService, type EvaluatorService } from '../src/service.js';
import { fakeDatasets, fakeLlm, okOutcome, toyExamples, YES_NO_TASK } from './port-fakes.js';

// Always "yes": right on the even numbers of examples 0..9, so 5 correct and 5 wrong.
const PAIR = {
  systemPrompt: 'You are careful.',
  userPrompt: 'Is it even? {question}',
  taskId: YES_NO_TASK.id,
  model: 'sim:default',
  n: 10,
};

let service: EvaluatorService;
afterEach(() => service.close());

/** The router's own client (the EvaluatorClient port has no `get`). */
function client() {
  const llm = fakeLlm(() => okOutcome('<answer>yes</answer>'));
  service = createEvaluatorService({
    databaseFile: ':memory:',
    llm,
    datasets: fakeDatasets(toyExamples(10)),
  });
  return createServiceClient<EvaluatorRouter>({ router: createEvaluatorRouter(service) });
}

describe('includeItems: false', () => {
  it('returns the scores without items, while get and wrongExamples still see every item', async () => {
    const evaluator = client();
    const full = await evaluator.evaluate.mutate(PAIR);
    const lean = await evaluator.evaluate.mutate({ ...PAIR, includeItems: false });

    expect(full.items).toHaveLength(10);
    expect(lean.items).toEqual([]);
    expect(lean).toMatchObject({ score: 0.5, correct: 5, n: 10, calls: 10 });

    const stored = await evaluator.get.query({ id: lean.id });
    expect(stored).toEqual({ ...lean, items: full.items });

    const wrong = await evaluator.wrongExamples.query({ evaluationId: lean.id, k: 50, seed: 1 });
    expect(wrong.map((w) => w.exampleId).sort()).toEqual(['ex-1', 'ex-3', 'ex-5', 'ex-7', 'ex-9']);
    expect(wrong.every((w) => w.prediction === 'yes' && w.gold === 'no')).toBe(true);
  });

  it('applies per request in evaluateMany', async () => {
    const evaluator = client();
    const [lean, full] = await evaluator.evaluateMany.mutate({
      requests: [
        { ...PAIR, includeItems: false },
        { ...PAIR, n: 4 },
      ],
    });
    expect(lean?.items).toEqual([]);
    expect(full?.items).toHaveLength(4);
    expect((await evaluator.get.query({ id: lean!.id })).items).toHaveLength(10);
  });
});
