import { describe, expect, it } from 'vitest';
import {
  REFERENCE_SPLIT_METHOD,
  sampleOrder,
  samplingMethodOf,
  seededSplit,
  seededSplitMethod,
} from '../src/split.js';

const items = Array.from({ length: 10 }, (_, i) => i);

describe('which sampling a stored split gets', () => {
  it('samples the reference way only a split taken wholly from the source', () => {
    expect(samplingMethodOf(REFERENCE_SPLIT_METHOD)).toBe('reference');
    expect(samplingMethodOf('source split')).toBe('reference');
    expect(samplingMethodOf(seededSplitMethod('proc_navigation'))).toBe('seeded');
    expect(samplingMethodOf('source split (test part seeded)')).toBe('seeded');
  });
});

describe('reference sampling reproduces Python random.shuffle', () => {
  // Printed by CPython: `random.seed(s); l = list(range(10)); random.shuffle(l)`.
  const PYTHON_SEED_42 = [7, 3, 2, 8, 5, 6, 9, 4, 0, 1];
  const PYTHON_SEED_7 = [8, 3, 1, 4, 7, 0, 9, 6, 2, 5];

  it('shuffles the test split with seed 42 whatever the run seed, and keeps the first n', () => {
    for (const seed of [7, 42, 1234]) {
      expect(sampleOrder(items, 'reference', { taskId: 't', split: 'test', seed, n: 4 })).toEqual(
        PYTHON_SEED_42.slice(0, 4),
      );
    }
  });

  it('shuffles the train split with the run seed', () => {
    expect(sampleOrder(items, 'reference', { taskId: 't', split: 'train', seed: 7, n: 10 })).toEqual(
      PYTHON_SEED_7,
    );
    expect(sampleOrder(items, 'reference', { taskId: 't', split: 'train', seed: 42, n: 3 })).toEqual(
      PYTHON_SEED_42.slice(0, 3),
    );
  });
});

/**
 * Stored runs, the gateway cache and resumed runs all rely on these orders staying the same
 * from one version to the next, so they are pinned: any change to the seeds' parts
 * ("sample", the task, the split, 42) moves them.
 */
describe('project sampling and the seeded split are stable across versions', () => {
  const taskId = 'proc_navigation';

  it('orders the test split by task only, the train split by task and run seed', () => {
    const test = (seed: number) => sampleOrder(items, 'seeded', { taskId, split: 'test', seed, n: 10 });
    expect(test(1)).toEqual([0, 2, 3, 1, 5, 7, 4, 6, 9, 8]);
    expect(test(99)).toEqual(test(1));
    expect(sampleOrder(items, 'seeded', { taskId, split: 'train', seed: 1, n: 10 })).toEqual([
      0, 2, 9, 6, 1, 3, 4, 5, 8, 7,
    ]);
    expect(sampleOrder(items, 'seeded', { taskId, split: 'train', seed: 2, n: 10 })).not.toEqual(
      sampleOrder(items, 'seeded', { taskId, split: 'train', seed: 1, n: 10 }),
    );
    expect(sampleOrder(items, 'seeded', { taskId, split: 'train', seed: 1, n: 3 })).toEqual([0, 2, 9]);
  });

  it('puts 30% of a single-split source in train, by a shuffle seeded with the task id', () => {
    expect(seededSplit(taskId, 10)).toEqual([
      'train',
      'test',
      'test',
      'test',
      'test',
      'train',
      'train',
      'test',
      'test',
      'test',
    ]);
  });

  it('keeps one train record from two records on, none from fewer', () => {
    expect(seededSplit(taskId, 0)).toEqual([]);
    expect(seededSplit(taskId, 1)).toEqual(['test']);
    expect(seededSplit(taskId, 2).filter((s) => s === 'train')).toHaveLength(1);
    expect(seededSplit(taskId, 3).filter((s) => s === 'train')).toHaveLength(1);
  });
});
