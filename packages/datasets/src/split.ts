import type { Split } from '@metaspo/schemas';
import { createRng, seedFrom, shuffled } from '@metaspo/service-kit';

/** Share of a single-split source that becomes the train split; the rest is test. */
export const SEEDED_TRAIN_FRACTION = 0.3;
/** The test split is always shuffled with this seed, whatever the run's seed. */
export const FIXED_TEST_SEED = 42;

export function seededSplitMethod(taskId: string): string {
  return `seeded split: ${SEEDED_TRAIN_FRACTION * 100}% train / ${100 - SEEDED_TRAIN_FRACTION * 100}% test, shuffle seed seedFrom("split", "${taskId}")`;
}

/**
 * Splits the records of a source that has no train/test split: a shuffle seeded by the task id
 * only, so every machine assigns the same records to train.
 */
export function seededSplit(taskId: string, count: number): Split[] {
  const trainCount = count < 2 ? 0 : Math.max(1, Math.floor(count * SEEDED_TRAIN_FRACTION));
  const order = shuffled(
    Array.from({ length: count }, (_, i) => i),
    createRng(seedFrom('split', taskId)),
  );
  const splits: Split[] = new Array<Split>(count).fill('test');
  for (const index of order.slice(0, trainCount)) splits[index] = 'train';
  return splits;
}

/**
 * The reference sampling semantics: test examples shuffled with a fixed seed, train examples
 * with the caller's seed, both starting from the stable source order, then truncated.
 */
export function sampleOrder<T>(
  items: readonly T[],
  taskId: string,
  split: Split,
  seed: number,
  n: number,
): T[] {
  const shuffleSeed =
    split === 'test'
      ? seedFrom('sample', taskId, 'test', FIXED_TEST_SEED)
      : seedFrom('sample', taskId, 'train', seed);
  return shuffled(items, createRng(shuffleSeed)).slice(0, n);
}
