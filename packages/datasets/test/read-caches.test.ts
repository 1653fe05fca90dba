import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../src/index.js';
import { tempService } from './helpers.js';

const csv = (prefix: string, rows: number) =>
  [
    'question,answer',
    ...Array.from({ length: rows }, (_, i) => `${prefix}${i},${i % 2 ? 'yes' : 'no'}`),
  ].join('\n');
const importCsv = (content: string) =>
  ({ taskId: 'my_task', format: 'csv', fileName: 'mine.csv', content, answerType: 'yes-no' }) as const;

const requests = [
  { split: 'test', n: 30, seed: 1 },
  { split: 'test', n: 5, seed: 9 },
  { split: 'train', n: 12, seed: 3 },
  { split: 'train', n: 40, seed: 4 },
  { split: 'train', n: 12, seed: 3 },
] as const;

describe('sample and answerKey read caches', () => {
  let ctx: ReturnType<typeof tempService> | undefined;
  afterEach(() => ctx?.cleanup());

  it('a warm service samples what a fresh service on the same file samples, as frozen objects', () => {
    ctx = tempService();
    ctx.service.importUserData(importCsv(csv('q', 60)));
    const fresh = () => createDatasetsService({ databaseFile: path.join(ctx!.dir, 'datasets.sqlite') });
    for (const request of requests) {
      const warm = ctx.service.sample({ taskId: 'my_task', ...request });
      const cold = fresh();
      try {
        expect(warm).toEqual(cold.sample({ taskId: 'my_task', ...request }));
      } finally {
        cold.close();
      }
      expect(ctx.service.sample({ taskId: 'my_task', ...request })).toEqual(warm);
    }
    const [first] = ctx.service.sample({ taskId: 'my_task', split: 'test', n: 1, seed: 1 });
    expect(() => {
      (first as { question: string }).question = 'changed';
    }).toThrow(TypeError);
    expect(ctx.service.answerKey(['my_task'])).toHaveLength(60);
  });

  it('a re-import by another connection replaces what a warm service samples and answers', () => {
    ctx = tempService();
    ctx.service.importUserData(importCsv(csv('old', 40)));
    const before = ctx.service.sample({ taskId: 'my_task', split: 'train', n: 100, seed: 2 });
    expect(before.every((e) => e.question.startsWith('old'))).toBe(true);
    expect(ctx.service.answerKey(['my_task']).map((e) => e.question)).toContain('old3');

    const other = createDatasetsService({ databaseFile: path.join(ctx.dir, 'datasets.sqlite') });
    try {
      other.importUserData(importCsv(csv('new', 20)));
    } finally {
      other.close();
    }

    const after = ctx.service.sample({ taskId: 'my_task', split: 'train', n: 100, seed: 2 });
    expect(after).toHaveLength(6);
    expect(after.every((e) => e.question.startsWith('new'))).toBe(true);
    const key = ctx.service.answerKey(['my_task']);
    expect(key).toHaveLength(20);
    expect(key.every((entry) => entry.question.startsWith('new'))).toBe(true);
  });
});
