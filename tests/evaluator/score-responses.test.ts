import type { ProceduralTask } from '@metaspo/datasets';
import type { Example } from '@metaspo/schemas';
import { domainCodeOf } from '@metaspo/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIXED_CATALOG, type RealStack, startRealStack } from './support/real-stack.js';

/** A grounding-like task: the whole response is the answer, compared by exact match. */
const BARE_TASK: ProceduralTask = {
  spec: {
    id: 'proc_eval_bridge',
    domain: 'procedural',
    description: 'Name the bridge.',
    initialUserPrompt: 'Which bridge? {question}\nRespond with the answer only',
    answerType: { kind: 'free-text' },
    answerFormat: 'bare',
    metric: 'exact-match',
    importer: 'procedural',
  },
  generate: (seed, count) =>
    Array.from({ length: count }, (_, i) => ({
      question: `Bridge ${seed}-${i}: which one?`,
      answer: `Bridge ${i}`,
      acceptedAnswers: [`Bridge ${i}`, `Span number ${i}`],
    })),
};

let stack: RealStack;
let evenExamples: Example[];
let bridgeExamples: Example[];
beforeAll(async () => {
  stack = await startRealStack({
    ...MIXED_CATALOG,
    tasks: [...MIXED_CATALOG.tasks, BARE_TASK],
    split: { ...MIXED_CATALOG.split, test: [...MIXED_CATALOG.split.test, BARE_TASK.spec.id] },
  });
  evenExamples = await stack.datasets.sample.query({
    taskId: 'proc_eval_even',
    split: 'test',
    n: 40,
    seed: 1,
  });
  bridgeExamples = await stack.datasets.sample.query({
    taskId: BARE_TASK.spec.id,
    split: 'train',
    n: 5,
    seed: 1,
  });
});
afterAll(async () => {
  await stack?.close();
});

async function errorOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => new Error('expected a rejection'),
    (error: unknown) => error,
  );
}

describe('scoreResponses', () => {
  it('computes macro-F1 as scikit-learn does, format failures one class', async () => {
    const yes = evenExamples.filter((e) => e.answer === 'yes').slice(0, 3);
    const no = evenExamples.filter((e) => e.answer === 'no').slice(0, 3);
    expect(yes.length + no.length).toBe(6);
    // y_true [yes, yes, yes, no, no, no], y_pred [yes, no, F, no, "maybe", F] (F: no tag).
    // python3 re-implementation of sklearn f1_score(average="macro"), default labels
    // sorted(set(y_true) | set(y_pred)) = [F, maybe, no, yes]:
    // yes: TP 1, FN 2 -> P 1, R 1/3, F1 0.5; no: TP 1, FP 1, FN 2 -> P 1/2, R 1/3, F1 0.4;
    // maybe: FP 1 -> 0; F: FP 2 -> 0. macro = 0.9 / 4 = 0.225 (python: 0.225)
    const responses = [
      { id: yes[0]!.id, response: '<answer>yes</answer>' },
      { id: yes[1]!.id, response: 'Hmm.\n<answer>No</answer>' },
      { id: yes[2]!.id, response: 'Yes, it is even.' },
      { question: no[0]!.question, response: '<answer> no </answer>' },
      { id: no[1]!.id, response: '<answer>maybe</answer>' },
      { id: no[2]!.id, response: '<answer></answer>' },
    ];
    const result = await stack.evaluator.scoreResponses.mutate({ taskId: 'proc_eval_even', responses });
    expect(result).toMatchObject({
      scoring: 'strict',
      metric: 'macro-f1',
      n: 6,
      correct: 2,
      formatFailures: 2,
    });
    expect(result.score).toBeCloseTo(0.225, 12);
    expect(result.items.map((item) => item.prediction)).toEqual(['yes', 'no', null, 'no', 'maybe', null]);
    expect(result.items[3]!.exampleId).toBe(no[0]!.id);

    // Lenient reads "Yes, it is even." as yes: y_pred [yes, no, yes, no, F("maybe"), F(empty)].
    // yes: TP 2, FN 1 -> P 1, R 2/3, F1 0.8; no: TP 1, FP 1, FN 2 -> 0.4; F: FP 2 -> 0.
    // macro = 1.2 / 3 = 0.4 (python: 0.4)
    const lenient = await stack.evaluator.scoreResponses.mutate({
      taskId: 'proc_eval_even',
      scoring: 'lenient',
      responses,
    });
    expect(lenient.score).toBeCloseTo(0.4, 12);
  });

  it('scores a bare task by exact match after the official SQuAD normalisation', async () => {
    const [a, b, c, d, e] = bridgeExamples;
    const responses = [
      { id: a!.id, response: `the ${a!.answer}.` }, // "bridge k": match
      { id: b!.id, response: b!.answer.replace(' ', '-') }, // "bridgek": no match
      { id: c!.id, response: `“${c!.answer}”` }, // curly quotes are not ASCII punctuation: no match
      { id: d!.id, response: `A ${d!.acceptedAnswers![1]}!` }, // the second accepted answer: match
      { id: e!.id, response: `<answer>${e!.answer}</answer>` }, // "answerbridge kanswer": no match
    ];
    const strict = await stack.evaluator.scoreResponses.mutate({ taskId: BARE_TASK.spec.id, responses });
    expect(strict.items.map((item) => item.correct)).toEqual([true, false, false, true, false]);
    expect(strict).toMatchObject({ metric: 'exact-match', score: 0.4, formatFailures: 0 });
    // Lenient drops curly quotes and reads the tag: 4 of 5.
    const lenient = await stack.evaluator.scoreResponses.mutate({
      taskId: BARE_TASK.spec.id,
      scoring: 'lenient',
      responses,
    });
    expect(lenient.items.map((item) => item.correct)).toEqual([true, false, true, true, true]);
  });

  it('refuses unknown ids and questions, naming each response', async () => {
    const error = await errorOf(
      stack.evaluator.scoreResponses.mutate({
        taskId: 'proc_eval_even',
        responses: [
          { id: evenExamples[0]!.id, response: '<answer>yes</answer>' },
          { id: 'no-such-id', response: '<answer>yes</answer>' },
          { question: 'Is 7 a question nobody asked?', response: '<answer>no</answer>' },
        ],
      }),
    );
    expect(domainCodeOf(error)).toBe('INVALID_INPUT');
    const issues = (error as { data?: { issues?: Array<{ path: string }> } }).data?.issues;
    expect(issues?.map((issue) => issue.path)).toEqual(['responses.1.id', 'responses.2.question']);
    expect((error as Error).message).toMatch(/responses\.1\.id: no example "no-such-id" in proc_eval_even/);

    const both = await errorOf(
      stack.evaluator.scoreResponses.mutate({
        taskId: 'proc_eval_even',
        responses: [{ id: 'x', question: 'y', response: '' }],
      }),
    );
    expect((both as { data?: { code?: string } }).data?.code).toBe('BAD_REQUEST');
    expect(
      domainCodeOf(
        await errorOf(
          stack.evaluator.scoreResponses.mutate({
            taskId: 'missing_task',
            responses: [{ id: 'x', response: '' }],
          }),
        ),
      ),
    ).toBe('NOT_FOUND');
  });
});

describe('scoring modes over the real gateway', () => {
  it('serves the second mode from the cache: only the reading differs', async () => {
    const pair = {
      systemPrompt: 'You are careful.',
      userPrompt: '{question}\nGive the final answer inside <answer></answer>.',
      taskId: 'proc_eval_colour',
      model: 'sim:default',
      n: 30,
    };
    const strict = await stack.evaluator.evaluate.mutate(pair);
    const lenient = await stack.evaluator.evaluate.mutate({ ...pair, scoring: 'lenient' });
    expect(strict.cachedCalls).toBe(0);
    expect(lenient.cachedCalls).toBe(30);
    expect(lenient.items.map((item) => item.response)).toEqual(strict.items.map((item) => item.response));
    expect([strict.scoring, lenient.scoring]).toEqual(['strict', 'lenient']);
  });
});
