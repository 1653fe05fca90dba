import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { domainCodeOf } from '@metaspo/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
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
  systemPrompt: 'You are careful.',
  userPrompt: 'Is it even? {question} Reply inside <answer></answer>.',
  taskId: YES_NO_TASK.id,
  model: 'sim:default',
};

const services: EvaluatorService[] = [];
function open(options: Parameters<typeof createEvaluatorService>[0]): EvaluatorService {
  const service = createEvaluatorService(options);
  services.push(service);
  return service;
}
afterEach(() => {
  for (const service of services.splice(0)) service.close();
});

async function codeOf(promise: Promise<unknown>): Promise<string | undefined> {
  try {
    await promise;
    return 'resolved';
  } catch (error) {
    return domainCodeOf(error);
  }
}

describe('evaluate', () => {
  it('sends one batch, scores the extracted answers and stores the evaluation', async () => {
    // Right on even numbers only: examples 0..9 -> 5 even (gold yes, answered yes) correct.
    const llm = fakeLlm(() => okOutcome('<answer>yes</answer>'));
    const service = open({ databaseFile: ':memory:', llm, datasets: fakeDatasets(toyExamples(10)) });
    const result = await service.evaluate({
      ...PAIR,
      n: 10,
      runId: 'run-1',
      sampleIndex: 2,
      temperature: 0.5,
    });

    expect(result).toMatchObject({
      score: 0.5,
      correct: 5,
      n: 10,
      calls: 10,
      cachedCalls: 0,
      metric: 'accuracy',
    });
    expect(result.usage).toEqual({ promptTokens: 100, completionTokens: 20 });
    expect(result.items[1]).toEqual({
      exampleId: 'ex-1',
      question: 'Number 1',
      gold: 'no',
      response: '<answer>yes</answer>',
      prediction: 'yes',
      valid: true,
      correct: false,
    });
    expect(llm.batches).toHaveLength(1);
    expect(llm.batches[0]![0]).toEqual({
      model: 'sim:default',
      messages: [
        { role: 'system', content: 'You are careful.' },
        { role: 'user', content: 'Is it even? Number 0 Reply inside <answer></answer>.' },
      ],
      temperature: 0.5,
      sampleIndex: 2,
      runId: 'run-1',
      tag: 'base',
    });
    expect(service.get(result.id)).toEqual(result);
    expect(service.list({ runId: 'run-1' }).map((e) => e.id)).toEqual([result.id]);
  });

  it('sends no system message for an empty system prompt and can prefix the user message instead', async () => {
    const llm = fakeLlm((request) => okOutcome(parityAnswer(request)));
    const service = open({ databaseFile: ':memory:', llm, datasets: fakeDatasets(toyExamples(2)) });
    await service.evaluate({ ...PAIR, systemPrompt: '', n: 1 });
    await service.evaluate({ ...PAIR, n: 1, systemPlacement: 'user-prefix' });
    expect(llm.batches[0]![0]!.messages).toEqual([
      { role: 'user', content: 'Is it even? Number 0 Reply inside <answer></answer>.' },
    ]);
    expect(llm.batches[1]![0]!.messages).toEqual([
      { role: 'user', content: 'You are careful.\n\nIs it even? Number 0 Reply inside <answer></answer>.' },
    ]);
  });

  it('keeps "$" sequences of a question literally', async () => {
    const llm = fakeLlm(() => okOutcome('yes'));
    const examples = [{ ...toyExamples(1)[0]!, question: "costs $& and $' today" }];
    const service = open({ databaseFile: ':memory:', llm, datasets: fakeDatasets(examples) });
    await service.evaluate({ ...PAIR, systemPrompt: '', n: 1 });
    expect(llm.batches[0]![0]!.messages[0]!.content).toBe(
      "Is it even? costs $& and $' today Reply inside <answer></answer>.",
    );
  });

  it('refuses a user prompt without exactly one {question}, naming the problem', async () => {
    const llm = fakeLlm(() => okOutcome('yes'));
    const service = open({ databaseFile: ':memory:', llm, datasets: fakeDatasets(toyExamples(2)) });
    await expect(service.evaluate({ ...PAIR, userPrompt: 'No placeholder' })).rejects.toThrow(
      /userPrompt: user prompt must contain "\{question\}" exactly once; it contains it 0 times/,
    );
    await expect(
      service.evaluateMany([PAIR, { ...PAIR, userPrompt: '{question} and {question}' }]),
    ).rejects.toThrow(/requests\.1\.userPrompt: .* 2 times/);
    expect(await codeOf(service.evaluate({ ...PAIR, userPrompt: '' }))).toBe('INVALID_INPUT');
    expect(llm.batches).toHaveLength(0);
  });

  it('counts a failed call as a wrong item with its error', async () => {
    const llm = fakeLlm((request) =>
      request.messages.at(-1)!.content.includes('Number 1')
        ? { ok: false, error: { kind: 'server', message: 'upstream 500' } }
        : okOutcome(tagged(parityAnswer(request)), true),
    );
    const service = open({ databaseFile: ':memory:', llm, datasets: fakeDatasets(toyExamples(4)) });
    const result = await service.evaluate({ ...PAIR, n: 4 });
    expect(result).toMatchObject({ score: 0.75, correct: 3, calls: 4, cachedCalls: 3 });
    expect(result.items[1]).toMatchObject({ response: '', prediction: null, valid: false, correct: false });
    expect(result.items[1]!.error).toBe('server: upstream 500');
    expect(service.get(result.id).items[1]!.error).toBe('server: upstream 500');
  });

  it.each([
    ['budget-exceeded', 'BUDGET_EXCEEDED'],
    ['cancelled', 'CANCELLED'],
  ] as const)('aborts on a %s outcome and stores nothing', async (kind, code) => {
    const llm = fakeLlm((request) =>
      request.messages.at(-1)!.content.includes('Number 2')
        ? { ok: false, error: { kind, message: 'run-1 stopped' } }
        : okOutcome('yes'),
    );
    const service = open({ databaseFile: ':memory:', llm, datasets: fakeDatasets(toyExamples(4)) });
    expect(await codeOf(service.evaluate({ ...PAIR, n: 4 }))).toBe(code);
    expect(service.list()).toEqual([]);
  });

  it('keeps the code of an upstream domain error', async () => {
    const llm = fakeLlm(() => okOutcome('yes'));
    const service = open({ databaseFile: ':memory:', llm, datasets: fakeDatasets(toyExamples(1)) });
    expect(await codeOf(service.evaluate({ ...PAIR, taskId: 'missing' }))).toBe('NOT_FOUND');
  });
});

describe('evaluateMany', () => {
  it('evaluates pairs in parallel within the bound and returns them in order', async () => {
    const llm = fakeLlm((request) =>
      okOutcome(
        tagged(request.messages.at(-1)!.content.startsWith('Always yes') ? 'yes' : parityAnswer(request)),
      ),
    );
    const service = open({
      databaseFile: ':memory:',
      llm,
      datasets: fakeDatasets(toyExamples(4)),
      concurrency: 3,
    });
    const requests = Array.from({ length: 8 }, (_, i) => ({
      ...PAIR,
      n: 4,
      userPrompt: i % 2 === 0 ? 'Always yes {question}' : 'Parity {question}',
    }));
    const results = await service.evaluateMany(requests);
    expect(results.map((r) => r.score)).toEqual([0.5, 1, 0.5, 1, 0.5, 1, 0.5, 1]);
    expect(results.map((r) => r.userPrompt)).toEqual(requests.map((r) => r.userPrompt));
    expect(llm.batches).toHaveLength(8);
    expect(llm.maxInFlight).toBe(3);
  });

  it('fetches each distinct sample once per call', async () => {
    const llm = fakeLlm((request) => okOutcome(parityAnswer(request)));
    const datasets = fakeDatasets(toyExamples(4));
    const service = open({ databaseFile: ':memory:', llm, datasets });
    const pairs = [
      { ...PAIR, n: 4 },
      { ...PAIR, n: 4, systemPrompt: 'Other' },
      { ...PAIR, n: 2 },
    ];
    await service.evaluateMany(pairs);
    expect(datasets.sampleCalls).toBe(2);
    // A later call asks again, so data imported in between is seen.
    await service.evaluateMany(pairs);
    expect(datasets.sampleCalls).toBe(4);
  });

  it('stops starting pairs after a budget stop', async () => {
    const llm = fakeLlm(() => ({ ok: false, error: { kind: 'budget-exceeded', message: 'over budget' } }));
    const service = open({
      databaseFile: ':memory:',
      llm,
      datasets: fakeDatasets(toyExamples(2)),
      concurrency: 2,
    });
    const requests = Array.from({ length: 10 }, () => ({ ...PAIR, n: 2 }));
    expect(await codeOf(service.evaluateMany(requests))).toBe('BUDGET_EXCEEDED');
    expect(llm.batches.length).toBeLessThanOrEqual(2);
    expect(service.list()).toEqual([]);
  });
});

describe('wrongExamples and storage', () => {
  it('samples failures deterministically by seed, with the full user message', async () => {
    const llm = fakeLlm(() => okOutcome('<answer>yes</answer>'));
    const service = open({ databaseFile: ':memory:', llm, datasets: fakeDatasets(toyExamples(20)) });
    const result = await service.evaluate({ ...PAIR, n: 20, systemPlacement: 'user-prefix' });
    const first = service.wrongExamples({ evaluationId: result.id, k: 4, seed: 7 });
    expect(first).toHaveLength(4);
    expect(service.wrongExamples({ evaluationId: result.id, k: 4, seed: 7 })).toEqual(first);
    expect(service.wrongExamples({ evaluationId: result.id, k: 4, seed: 8 })).not.toEqual(first);
    for (const wrong of first) {
      expect(wrong.gold).toBe('no');
      expect(wrong.prediction).toBe('yes');
      expect(wrong.prompt).toBe(
        `You are careful.\n\nIs it even? ${wrong.question} Reply inside <answer></answer>.`,
      );
    }
    // 10 failures in all: asking for more returns each once.
    const all = service.wrongExamples({ evaluationId: result.id, k: 50, seed: 1 });
    expect(new Set(all.map((w) => w.exampleId)).size).toBe(10);
    expect(() => service.wrongExamples({ evaluationId: 'nope', k: 1, seed: 1 })).toThrow(/not found/);
  });

  it('gives every item its outcome in sample order, a failed call wrong and marked failed', async () => {
    // Always "yes": right on even numbers; the call for Number 3 fails.
    const llm = fakeLlm((request) =>
      request.messages.at(-1)!.content.includes('Number 3')
        ? { ok: false, error: { kind: 'server', message: 'upstream 500' } }
        : okOutcome('<answer>yes</answer>'),
    );
    const service = open({ databaseFile: ':memory:', llm, datasets: fakeDatasets(toyExamples(5)) });
    const result = await service.evaluate({ ...PAIR, n: 5 });
    expect(service.outcomes({ evaluationId: result.id })).toEqual([
      { exampleId: 'ex-0', correct: true, failed: false },
      { exampleId: 'ex-1', correct: false, failed: false },
      { exampleId: 'ex-2', correct: true, failed: false },
      { exampleId: 'ex-3', correct: false, failed: true },
      { exampleId: 'ex-4', correct: true, failed: false },
    ]);
    // The wrong examples hold only the answered wrong item: nothing to learn from a failed call.
    expect(service.wrongExamples({ evaluationId: result.id, k: 5, seed: 1 }).map((w) => w.exampleId)).toEqual(
      ['ex-1'],
    );
    expect(() => service.outcomes({ evaluationId: 'nope' })).toThrow(/not found/);
  });

  it('keeps evaluations in its SQLite file across restarts', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evaluator-'));
    const databaseFile = path.join(dir, 'evaluator.sqlite');
    const llm = fakeLlm((request) => okOutcome(parityAnswer(request)));
    const first = createEvaluatorService({ databaseFile, llm, datasets: fakeDatasets(toyExamples(3)) });
    const result = await first.evaluate({ ...PAIR, n: 3 });
    first.close();
    const reopened = open({ databaseFile, llm, datasets: fakeDatasets(toyExamples(3)) });
    expect(reopened.get(result.id)).toEqual(result);
    fs.rmSync(dir, { recursive: true, force: true });
  });
});
