import { afterEach, describe, expect, it } from 'vitest';
import { tempService } from './helpers.js';

const csv = (prefix: string, rows: number) =>
  [
    'question,answer',
    ...Array.from({ length: rows }, (_, i) => `${prefix}${i},${i % 2 ? 'yes' : 'no'}`),
  ].join('\n');
const importCsv = (content: string) =>
  ({ taskId: 'my_task', format: 'csv', fileName: 'mine.csv', content, answerType: 'yes-no' }) as const;

/** Ten train rows t0..t9 and six test rows s0..s5, interleaved so file order differs from split order. */
const withSourceSplit = () => {
  const lines = ['question,answer,split'];
  for (let i = 0; i < 10; i += 1) {
    lines.push(`t${i},${i % 2 ? 'yes' : 'no'},train`);
    if (i < 6) lines.push(`s${i},${i % 2 ? 'yes' : 'no'},test`);
  }
  return lines.join('\n');
};

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

  it("a source split is sampled as the reference samples it: Python's shuffle of each split in source order", () => {
    ctx = tempService();
    const { service } = ctx;
    expect(service.importUserData(importCsv(withSourceSplit())).splitMethod).toBe(
      'source split; reference sampling: Python random.shuffle seeded 42 (test) / run seed (train)',
    );
    const questions = (split: 'train' | 'test', seed: number, n = 100) =>
      service.sample({ taskId: 'my_task', split, n, seed }).map((e) => e.question);
    // Expected orders printed by python3 3.11:
    //   test = list(range(10, 16)); random.seed(42); random.shuffle(test)  -> [13, 11, 12, 14, 10, 15]
    //   train = list(range(10)); random.seed(42); random.shuffle(train)    -> [7, 3, 2, 8, 5, 6, 9, 4, 0, 1]
    //   train = list(range(10)); random.seed(3); random.shuffle(train)     -> [1, 5, 6, 0, 9, 4, 7, 2, 8, 3]
    // (test index 10 + k is row s{k}).
    const test = ['s3', 's1', 's2', 's4', 's0', 's5'];
    expect(questions('test', 42)).toEqual(test);
    expect(questions('test', 3)).toEqual(test);
    expect(questions('train', 42)).toEqual(['t7', 't3', 't2', 't8', 't5', 't6', 't9', 't4', 't0', 't1']);
    expect(questions('train', 3)).toEqual(['t1', 't5', 't6', 't0', 't9', 't4', 't7', 't2', 't8', 't3']);
    expect(questions('train', 3, 4)).toEqual(['t1', 't5', 't6', 't0']);
  });

  it('a split seeded here keeps the project sampling and says so', () => {
    ctx = tempService();
    const { service } = ctx;
    const report = service.importUserData(importCsv(csv('q', 40)));
    expect(report.splitMethod).toMatch(/^seeded split: 30% train \/ 70% test, .*; project sampling: /);
    const partly = service.importUserData(
      importCsv(
        `question,answer,split\n${Array.from({ length: 12 }, (_, i) => `p${i},no,${i < 2 ? 'train' : ''}`).join('\n')}`,
      ),
    );
    expect(partly.splitMethod).toMatch(
      /^source split where given; seeded split: .* for the rest; project sampling: /,
    );
    expect(service.listDatasets()[0]?.splitMethod).toBe(partly.splitMethod);
  });
});
