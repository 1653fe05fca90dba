import { createHash } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createDatasetsService } from '../src/index.js';
import { SHARED_DATASETS, tempService } from './helpers.js';

/**
 * The reference's own split of an Amazon task. The expected values were computed once from the
 * reference's file (byte-identical to ../shared/datasets/MetaSPO/datasets/amazon/electronics.json)
 * with python3 3.11.7, as the reference's `_shuffle_and_split_dataset` draws them:
 *
 *   python3 -c "import json, random, hashlib
 *   d = json.load(open('electronics.json')); train, test = d['train'], d['test']
 *   random.seed(42); random.shuffle(test); random.seed(42); random.shuffle(train)
 *   for xs in (train[:50], test[:500]):
 *       print(hashlib.sha256('\n'.join(x['question'] for x in xs).encode()).hexdigest(),
 *             [x['question'].split('\n')[0] for x in xs[:3]], [x['answer'] for x in xs[:3]])"
 *
 * and for seed 7 the same with `random.seed(7); random.shuffle(train)` on a fresh train list.
 */
const REFERENCE = {
  train42: {
    sha256: '8478d8777b998c64bb2ca084f4132981fece1a8dffa7e7d850e898d794cdea1b',
    titles: [
      'title: Buyer Beware - the 4G is not as advertised',
      'title: Worst picture and color',
      'title: Excellent Cables at a Great Price',
    ],
    answers: ['1', '1', '5'],
  },
  test: {
    sha256: 'b2572948869f590eb66837515e20b409f31a5785bc3497cea78bdf8ed502e38d',
    titles: [
      'title: Works as described.',
      'title: Had this close to a year now and it is great',
      'title: Very useful',
    ],
    answers: ['5', '5', '5'],
  },
  train7: {
    sha256: '5663cc80dc04f95dca2a273dc1efd9ba02957d0138115837cd36d3ba663e32b0',
    titles: [
      'title: 10/10',
      'title: You can access motherboard from the top...',
      'title: Works great with my Samsung Galaxy Pro S5e',
    ],
  },
};

const sha256 = (text: string) => createHash('sha256').update(text).digest('hex');

describe('reference sampling of a source split (electronics, real file)', () => {
  const ctx = tempService();
  type Service = typeof ctx.service;
  const sample = (service: Service, split: 'train' | 'test', n: number, seed: number) =>
    service.sample({ taskId: 'electronics', split, n, seed });
  const titles = (examples: Array<{ question: string }>) =>
    examples.slice(0, 3).map((e) => e.question.split('\n')[0]);

  beforeAll(async () => {
    await ctx.service.fetch({ taskIds: ['electronics'], from: SHARED_DATASETS });
  }, 60_000);
  afterAll(() => ctx.cleanup());

  it('records the reference sampling as the split method', () => {
    expect(ctx.service.listDatasets().find((d) => d.taskId === 'electronics')?.splitMethod).toBe(
      'source split; reference sampling: Python random.shuffle seeded 42 (test) / run seed (train)',
    );
  });

  it('with seed 42 picks the 50 train and 500 test questions the reference picks, in order', () => {
    const train = sample(ctx.service, 'train', 50, 42);
    const test = sample(ctx.service, 'test', 500, 42);
    expect(train).toHaveLength(50);
    expect(test).toHaveLength(500);
    expect(titles(train)).toEqual(REFERENCE.train42.titles);
    expect(train.slice(0, 3).map((e) => e.answer)).toEqual(REFERENCE.train42.answers);
    expect(sha256(train.map((e) => e.question).join('\n'))).toBe(REFERENCE.train42.sha256);
    expect(titles(test)).toEqual(REFERENCE.test.titles);
    expect(test.slice(0, 3).map((e) => e.answer)).toEqual(REFERENCE.test.answers);
    expect(sha256(test.map((e) => e.question).join('\n'))).toBe(REFERENCE.test.sha256);
  });

  it('with seed 7 picks other train questions, the reference ones, every time; test stays put', async () => {
    const train7 = sample(ctx.service, 'train', 50, 7);
    expect(titles(train7)).toEqual(REFERENCE.train7.titles);
    expect(sha256(train7.map((e) => e.question).join('\n'))).toBe(REFERENCE.train7.sha256);
    expect(sample(ctx.service, 'train', 50, 7)).toEqual(train7);
    const other = tempService();
    try {
      await other.service.fetch({ taskIds: ['electronics'], from: SHARED_DATASETS });
      expect(sample(other.service, 'train', 50, 7)).toEqual(train7);
    } finally {
      other.cleanup();
    }
    expect(titles(sample(ctx.service, 'test', 500, 7))).toEqual(REFERENCE.test.titles);
  });

  it('a dataset stored before reference sampling (split method "source split") is sampled the same way', async () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metaspo-legacy-split-'));
    const file = path.join(dir, 'datasets.sqlite');
    try {
      const first = createDatasetsService({ databaseFile: file });
      await first.fetch({ taskIds: ['electronics'], from: SHARED_DATASETS });
      first.close();
      const sqlite = new Database(file);
      sqlite.prepare(`UPDATE datasets SET split_method = 'source split' WHERE task_id = 'electronics'`).run();
      sqlite.close();
      const reopened = createDatasetsService({ databaseFile: file });
      try {
        expect(reopened.listDatasets()[0]?.splitMethod).toBe('source split');
        expect(titles(sample(reopened, 'train', 50, 42))).toEqual(REFERENCE.train42.titles);
        expect(titles(sample(reopened, 'test', 500, 42))).toEqual(REFERENCE.test.titles);
      } finally {
        reopened.close();
      }
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
