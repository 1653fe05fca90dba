import type { DatasetsClient, Example } from '@metaspo/schemas';
import { createServiceClient, domainCodeOf } from '@metaspo/service-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createDatasetsRouter, type DatasetsRouter, type ProceduralCatalog } from '../src/index.js';
import { tempService } from './helpers.js';

/** A small generator: the sum of two seeded numbers, so its answers can be checked here. */
const tinyProcedural: ProceduralCatalog = {
  tasks: [
    {
      spec: {
        id: 'proc_tiny_sum',
        domain: 'procedural',
        description: 'add two numbers',
        initialUserPrompt: '<Question>{question}</Question> Reply inside <answer></answer>.',
        answerType: { kind: 'integer' },
        metric: 'accuracy',
        importer: 'procedural',
      },
      generate: (seed, count) =>
        Array.from({ length: count }, (_, i) => ({
          question: `${seed} + ${i} = ?`,
          answer: String(seed + i),
        })),
    },
  ],
  split: { train: ['proc_tiny_sum'], test: [] },
  sizes: { train: 5, test: 8, trainSeed: 1, testSeed: 100 },
};

const CSV = [
  'question,answer',
  ...Array.from({ length: 40 }, (_, i) => `q${i},${i % 2 ? 'yes' : 'no'}`),
].join('\n');
const importCsv = (content = CSV) =>
  ({ taskId: 'my_task', format: 'csv', fileName: 'mine.csv', content, answerType: 'yes-no' }) as const;

describe('datasets service', () => {
  let ctx: ReturnType<typeof tempService>;
  beforeEach(() => {
    ctx = tempService({ procedural: tinyProcedural });
  });
  afterEach(() => ctx.cleanup());

  it('the typed client satisfies the DatasetsClient port and maps unknown ids to NOT_FOUND', async () => {
    const client: DatasetsClient = createServiceClient<DatasetsRouter>({
      router: createDatasetsRouter(ctx.service),
    });
    const anatomy = await client.tasks.get.query({ id: 'anatomy' });
    expect(anatomy).toMatchObject({
      domain: 'medical',
      answerType: { kind: 'option', optionCount: 4 },
      labelSpace: ['A', 'B', 'C', 'D'],
    });
    expect(anatomy.initialUserPrompt).toMatch(/<Question>\{question\}<\/Question>[\s\S]*<answer><\/answer>/);
    const error = await client.tasks.get.query({ id: 'no_such_task' }).catch((e: unknown) => e);
    expect(domainCodeOf(error)).toBe('NOT_FOUND');
    expect(await client.domains.get.query({ domain: 'reasoning' })).toEqual({
      domain: 'reasoning',
      train: ['logic_grid_puzzle', 'tracking_shuffled_objects', 'logical_deduction', 'temporal_sequences'],
      test: ['object_counting', 'reasoning_colored_objects', 'epistemic'],
    });
    expect(await client.domains.get.query({ domain: 'procedural' })).toEqual({
      domain: 'procedural',
      ...tinyProcedural.split,
    });
  });

  it('hands an in-process client copies, so changing one changes nothing in the registry', async () => {
    const client = createServiceClient<DatasetsRouter>({ router: createDatasetsRouter(ctx.service) });
    const split = await client.domains.get.query({ domain: 'reasoning' });
    split.train.length = 0;
    const anatomy = await client.tasks.get.query({ id: 'anatomy' });
    anatomy.labelSpace?.reverse();
    const listed = await client.tasks.list.query({ domain: 'medical' });
    listed[0]!.initialUserPrompt = 'changed';
    expect((await client.domains.get.query({ domain: 'reasoning' })).train).toHaveLength(4);
    expect((await client.tasks.get.query({ id: 'anatomy' })).labelSpace).toEqual(['A', 'B', 'C', 'D']);
    expect((await client.tasks.list.query({ domain: 'medical' }))[0]!.initialUserPrompt).not.toBe('changed');
  });

  it('lists the catalog of the five domains with metrics per domain', () => {
    const tasks = ctx.service.listTasks();
    const ids = (domain: string) =>
      ctx.service
        .listTasks(domain)
        .filter((t) => t.available)
        .map((t) => t.id);
    expect(ids('medical')).toEqual([
      'anatomy',
      'surgery',
      'ob_gyn',
      'medicine',
      'pharmacology',
      'dental',
      'pediatrics',
      'pathology',
    ]);
    expect(ids('review')).toEqual(['beauty', 'game', 'baby', 'office', 'electronics', 'pet', 'sports']);
    expect(ids('safety')).toEqual([
      'liar',
      'hatecheck',
      'tweet_eval',
      'sarcasm',
      'ethos',
      'antropic_harmless',
    ]);
    expect(ids('grounding')).toEqual(['natural_questions', 'web_qa', 'hotpot_qa', 'squad', 'trivia_qa']);
    expect(new Set(ctx.service.listTasks('safety').map((t) => t.metric))).toEqual(new Set(['macro-f1']));
    expect(new Set(ctx.service.listTasks('grounding').map((t) => t.metric))).toEqual(
      new Set(['exact-match']),
    );
    expect(tasks.find((t) => t.id === 'drop')).toMatchObject({
      available: false,
      unavailableReason: expect.any(String),
    });
  });

  it('samples: test with a fixed seed, train with the caller seed, identical across service instances', () => {
    ctx.service.importUserData(importCsv());
    const ids = (examples: Example[]) => examples.map((e) => e.id);
    const test = (seed: number, n = 5) =>
      ids(ctx.service.sample({ taskId: 'my_task', split: 'test', n, seed }));
    const train = (seed: number, n = 5) =>
      ids(ctx.service.sample({ taskId: 'my_task', split: 'train', n, seed }));
    expect(test(1)).toEqual(test(2));
    expect(test(1, 3)).toEqual(test(1).slice(0, 3));
    expect(train(1)).toEqual(train(1));
    expect(train(1)).not.toEqual(train(2));
    const other = tempService();
    try {
      other.service.importUserData(importCsv());
      expect(ids(other.service.sample({ taskId: 'my_task', split: 'train', n: 5, seed: 1 }))).toEqual(
        train(1),
      );
      expect(ids(other.service.sample({ taskId: 'my_task', split: 'test', n: 5, seed: 9 }))).toEqual(test(1));
    } finally {
      other.cleanup();
    }
    const all = ctx.service.sample({ taskId: 'my_task', split: 'train', n: 1000, seed: 3 });
    expect(all).toHaveLength(12);
    expect(new Set(all.map((e) => e.id)).size).toBe(12);
    expect(ctx.service.sample({ taskId: 'my_task', split: 'test', n: 1000, seed: 3 })).toHaveLength(28);
  });

  it('imports user data once: the same file twice changes nothing, a new file replaces it', () => {
    expect(ctx.service.importUserData(importCsv())).toMatchObject({
      status: 'imported',
      recordsRead: 40,
      counts: { train: 12, test: 28 },
    });
    expect(ctx.service.importUserData(importCsv()).status).toBe('unchanged');
    expect(ctx.service.getTask('my_task')).toMatchObject({
      domain: 'custom',
      answerType: { kind: 'yes-no' },
      labelSpace: ['yes', 'no'],
    });
    const withSplit = 'question,answer,split\na,yes,train\nb,no,test\nc,true,test\n';
    expect(ctx.service.importUserData(importCsv(withSplit))).toMatchObject({
      status: 'replaced',
      counts: { train: 1, test: 2 },
      splitMethod:
        'source split; reference sampling: Python random.shuffle seeded 42 (test) / run seed (train)',
    });
    expect(ctx.service.counts()).toEqual({ datasets: 1, examples: 3, userTasks: 1 });
    expect(ctx.service.listDatasets()[0]).toMatchObject({
      taskId: 'my_task',
      origin: 'import',
      files: [{ path: 'mine.csv' }],
    });
    expect(() => ctx.service.importUserData({ ...importCsv(), taskId: 'anatomy' })).toThrow(
      /belongs to a built-in task/,
    );
  });

  it('imports option tasks from metaspo-json with letters or option texts as gold', () => {
    const content = JSON.stringify({
      train: [{ question: 'Capital of France?', answer: 'Paris', options: ['Rome', 'Paris'] }],
      test: [{ question: '2+2?', answer: '(B)', options: ['3', '4', '5'] }],
    });
    ctx.service.importUserData({
      taskId: 'quiz',
      format: 'metaspo-json',
      fileName: 'quiz.json',
      content,
      answerType: 'option',
    });
    expect(ctx.service.getTask('quiz').answerType).toEqual({ kind: 'option', optionCount: 3 });
    const key = ctx.service.answerKey(['quiz']);
    expect(key.map((e) => e.answer)).toEqual(['B', 'B']);
    expect(key[0]).toMatchObject({
      domain: 'custom',
      answerType: { kind: 'option' },
      options: ['Rome', 'Paris'],
    });
  });

  it('pages examples in source order', () => {
    ctx.service.importUserData(importCsv());
    const first = ctx.service.examplesPage({ taskId: 'my_task', limit: 15 });
    expect(first).toMatchObject({ total: 40, nextOffset: 15 });
    expect(first.items.map((e) => e.question)).toEqual(Array.from({ length: 15 }, (_, i) => `q${i}`));
    const last = ctx.service.examplesPage({ taskId: 'my_task', split: 'test', offset: 20, limit: 15 });
    expect(last).toMatchObject({ total: 28, nextOffset: null });
    expect(last.items).toHaveLength(8);
  });

  it('searches questions and answers case-insensitively, treating % and _ literally', () => {
    ctx.service.importUserData(importCsv());
    const hits = ctx.service.examplesPage({ taskId: 'my_task', search: 'Q3', limit: 50 });
    expect(hits.items.map((e) => e.question).sort()).toEqual([
      'q3',
      'q30',
      'q31',
      'q32',
      'q33',
      'q34',
      'q35',
      'q36',
      'q37',
      'q38',
      'q39',
    ]);
    expect(hits.total).toBe(11);
    expect(ctx.service.examplesPage({ taskId: 'my_task', search: 'q%', limit: 50 }).total).toBe(0);
    expect(ctx.service.examplesPage({ taskId: 'my_task', search: 'q_', limit: 50 }).total).toBe(0);
    expect(ctx.service.examplesPage({ taskId: 'my_task', search: '  ', limit: 50 }).total).toBe(40);
  });

  it('generates procedural tasks on first use and on fetch, with the generator answers', async () => {
    const test = ctx.service.sample({ taskId: 'proc_tiny_sum', split: 'test', n: 100, seed: 0 });
    expect(test).toHaveLength(8);
    for (const example of test) {
      const [a, b] = example.question.split(' + ').map((part) => Number.parseInt(part, 10));
      expect(example.answer).toBe(String(a! + b!));
    }
    const report = await ctx.service.fetch({ domain: 'procedural' });
    expect(report.tasks).toEqual([
      expect.objectContaining({
        taskId: 'proc_tiny_sum',
        status: 'unchanged',
        counts: { train: 5, test: 8 },
      }),
    ]);
  });

  it('says how to get examples for a task not fetched yet; the answer key has none of them', () => {
    expect(() => ctx.service.sample({ taskId: 'anatomy', split: 'test', n: 1, seed: 0 })).toThrow(
      'task "anatomy" has no examples yet: run `metaspo datasets fetch --task anatomy`',
    );
    expect(() => ctx.service.sample({ taskId: 'drop', split: 'test', n: 1, seed: 0 })).toThrow(
      /drop" is unavailable/,
    );
    expect(ctx.service.answerKey(['anatomy', 'drop'])).toEqual([]);
    expect(ctx.service.answerKey(['proc_tiny_sum'])).toHaveLength(13);
    expect(() => ctx.service.answerKey(['no_such_task'])).toThrow('task "no_such_task" not found');
  });

  it('refuses a fetch that selects nothing or too much', async () => {
    await expect(ctx.service.fetch({ domain: 'medical', all: true })).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'give exactly one of domain, taskIds or all',
    });
    await expect(ctx.service.fetch({ domain: 'astrology' })).rejects.toThrow(
      'no built-in tasks in domain "astrology"',
    );
  });
});
