import { afterEach, describe, expect, it } from 'vitest';
import { tempService } from './helpers.js';

const csv = (prefix: string, rows: number) =>
  [
    'question,answer',
    ...Array.from({ length: rows }, (_, i) => `${prefix}${i},${i % 2 ? 'yes' : 'no'}`),
  ].join('\n');
const importCsv = (content: string) =>
  ({ taskId: 'my_task', format: 'csv', fileName: 'mine.csv', content, answerType: 'yes-no' }) as const;

describe('sample orders', () => {
  let ctx: ReturnType<typeof tempService> | undefined;
  afterEach(() => ctx?.cleanup());

  it('a re-imported dataset is sampled from its new examples, not a remembered order', () => {
    ctx = tempService();
    const { service } = ctx;
    service.importUserData(importCsv(csv('old', 40)));
    const sample = (split: 'train' | 'test') => service.sample({ taskId: 'my_task', split, n: 100, seed: 4 });
    expect(sample('test').map((e) => e.question)).toHaveLength(28);
    expect(sample('train').every((e) => e.question.startsWith('old'))).toBe(true);

    service.importUserData(importCsv(csv('new', 20)));
    expect(sample('test')).toHaveLength(14);
    expect(sample('train')).toHaveLength(6);
    expect([...sample('test'), ...sample('train')].every((e) => e.question.startsWith('new'))).toBe(true);
  });
});
