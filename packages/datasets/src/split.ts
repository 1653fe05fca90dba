import type { Split } from '@metaspo/schemas';
import { createRng, pythonShuffled, seedFrom, shuffled } from '@metaspo/service-kit';

/** Share of a single-split source that becomes the train split; the rest is test. */
export const SEEDED_TRAIN_FRACTION = 0.3;
/** The test split is always shuffled with this seed, whatever the run's seed (as the reference does). */
export const FIXED_TEST_SEED = 42;

/**
 * How a source that has its own train and test lists is sampled: the reference's
 * `_shuffle_and_split_dataset`, so the same seed picks the very items the reference picks.
 */
export const REFERENCE_SPLIT_METHOD = `source split; reference sampling: Python random.shuffle seeded ${FIXED_TEST_SEED} (test) / run seed (train)`;
/** What datasets imported before reference sampling say: their source split is the same. */
const SOURCE_SPLIT_BEFORE_REFERENCE_SAMPLING = 'source split';

export type SamplingMethod = 'reference' | 'seeded';

/** How a split made here (wholly or in part) is sampled: the project's generator, not Python's. */
export const PROJECT_SAMPLING = `project sampling: shuffle seed seedFrom("sample", task, split, ${FIXED_TEST_SEED} (test) / run seed (train))`;

export function seededSplitMethod(taskId: string): string {
  return `seeded split: ${SEEDED_TRAIN_FRACTION * 100}% train / ${100 - SEEDED_TRAIN_FRACTION * 100}% test, shuffle seed seedFrom("split", "${taskId}")`;
}

/**
 * The sampling a stored dataset gets, read from its split method: only a split wholly taken
 * from the source is sampled the reference's way; a seeded or partly seeded split has no
 * reference order to reproduce.
 */
export function samplingMethodOf(splitMethod: string): SamplingMethod {
  return splitMethod === REFERENCE_SPLIT_METHOD || splitMethod === SOURCE_SPLIT_BEFORE_REFERENCE_SAMPLING
    ? 'reference'
    : 'seeded';
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
 * The first n items of a split (given in source order) as a run with this seed uses them: the
 * test split is shuffled with a fixed seed, the train split with the caller's.
 * - reference: Python's `random.seed(s); random.shuffle(items)`, item for item;
 * - seeded: the project's generator, seeded by task, split and seed.
 */
export function sampleOrder<T>(
  items: readonly T[],
  method: SamplingMethod,
  sample: { taskId: string; split: Split; seed: number; n: number },
): T[] {
  const { taskId, split, seed, n } = sample;
  if (method === 'reference')
    return pythonShuffled(items, split === 'test' ? FIXED_TEST_SEED : seed).slice(0, n);
  const shuffleSeed =
    split === 'test'
      ? seedFrom('sample', taskId, 'test', FIXED_TEST_SEED)
      : seedFrom('sample', taskId, 'train', seed);
  return shuffled(items, createRng(shuffleSeed)).slice(0, n);
}
