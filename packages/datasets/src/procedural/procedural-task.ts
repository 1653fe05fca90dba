import type { TaskSpecInput } from '@metaspo/schemas';
import { createRng, type Rng, seedFrom } from '@metaspo/service-kit';

/** One generated example: `answer` is canonical (integer digits, option letter, yes/no or a label). */
export interface GeneratedItem {
  question: string;
  answer: string;
  acceptedAnswers?: string[];
  options?: string[];
}

export interface ProceduralTask {
  spec: TaskSpecInput;
  /** Deterministic: the same (seed, count) gives the same items in every process. */
  generate(seed: number, count: number): GeneratedItem[];
}

/** Default split sizes and seeds; the test split follows the reference config (500 test items per task). */
export const PROCEDURAL_SIZES = { train: 200, test: 500, trainSeed: 42, testSeed: 20_250_514 } as const;

/** Draws one candidate item; duplicates are filtered by the task, so a maker need not track them. */
export type ItemMaker = (rng: Rng) => GeneratedItem;

/** Upper bound on candidate draws per requested item before a task admits its question space is exhausted. */
const MAX_DRAWS_PER_ITEM = 50;

/**
 * Wraps an item maker into a task whose questions are distinct within one call and whose default
 * test split is reserved: every seed other than `testSeed` skips the questions of
 * `generate(testSeed, PROCEDURAL_SIZES.test)`, so no train sample can leak a meta-test question.
 * Draws are sequential from one seeded stream, so a smaller count is always a prefix of a larger one.
 */
export function defineProceduralTask(spec: TaskSpecInput, makeItem: ItemMaker): ProceduralTask {
  let reservedTestQuestions: ReadonlySet<string> | undefined;

  const draw = (seed: number, count: number, excluded: ReadonlySet<string>): GeneratedItem[] => {
    if (!Number.isInteger(count) || count < 0) {
      throw new RangeError(`${spec.id}: count must be a non-negative integer, got ${count}`);
    }
    const rng = createRng(seedFrom('procedural', spec.id, seed));
    const seen = new Set<string>();
    const items: GeneratedItem[] = [];
    const maxDraws = count * MAX_DRAWS_PER_ITEM + 1_000;
    for (let draws = 0; items.length < count; draws += 1) {
      if (draws >= maxDraws) {
        throw new RangeError(`${spec.id}: only ${items.length} distinct questions after ${draws} draws`);
      }
      const item = makeItem(rng);
      if (seen.has(item.question) || excluded.has(item.question)) continue;
      seen.add(item.question);
      items.push(item);
    }
    return items;
  };

  const reserved = (): ReadonlySet<string> => {
    reservedTestQuestions ??= new Set(
      draw(PROCEDURAL_SIZES.testSeed, PROCEDURAL_SIZES.test, new Set()).map((item) => item.question),
    );
    return reservedTestQuestions;
  };

  return {
    spec,
    generate: (seed, count) => draw(seed, count, seed === PROCEDURAL_SIZES.testSeed ? new Set() : reserved()),
  };
}

type AnswerTypeInput = TaskSpecInput['answerType'];

/** The fields every procedural spec shares; free-text tasks are scored by exact match, the rest by accuracy. */
export function proceduralSpec(fields: {
  id: `proc_${string}`;
  description: string;
  initialUserPrompt: string;
  answerType: AnswerTypeInput;
  labelSpace?: string[];
}): TaskSpecInput {
  return {
    ...fields,
    domain: 'procedural',
    metric: fields.answerType.kind === 'free-text' ? 'exact-match' : 'accuracy',
    importer: 'procedural',
    source: { license: 'project-generated (MIT)', paths: [], urls: [], sha256: [] },
    available: true,
  };
}
