import { describe, expect, it } from 'vitest';
import { arithmeticWordProblemsTask } from './arithmetic-word-problems.js';
import { PROCEDURAL_SIZES } from './procedural-task.js';

/** Each sentence pattern with the operation it stands for, read off the wording rather than the generator's code. */
const OPERATIONS: ReadonlyArray<[RegExp, (total: number, a: number, b: number) => number]> = [
  [/ buys (\d+) more /, (total, a) => total + a],
  [/ gives \w+ another (\d+) /, (total, a) => total + a],
  [/ gives (\d+) .+ to a neighbour\.$/, (total, a) => total - a],
  [/ loses (\d+) /, (total, a) => total - a],
  [/ (\d+) (?:packs|boxes) (?:with|holding) (\d+) /, (total, a, b) => total + a * b],
  [/ hands (\d+) classmates (\d+) /, (total, a, b) => total - a * b],
  [/ twice as many /, (total) => total * 2],
  [
    / equally into (\d+) jars and keeps just one jar\.$/,
    (total, a) => {
      expect(total % a, 'an equal split must be exact').toBe(0);
      return total / a;
    },
  ],
];

function solveFromText(question: string): number {
  const sentences = question.split(/(?<=[.?]) /);
  const opening = sentences.shift() ?? '';
  const ask = sentences.pop() ?? '';
  expect(ask).toMatch(/^How many .+\?$/);
  let total = Number(/(\d+)/.exec(opening)?.[1] ?? Number.NaN);
  for (const sentence of sentences) {
    const matches = OPERATIONS.map(([pattern, apply]) => [pattern.exec(sentence), apply] as const).filter(
      ([match]) => match !== null,
    );
    const [match, apply] = matches[0] ?? [];
    if (!match || !apply || matches.length > 1) throw new Error(`unparsed step "${sentence}"`);
    total = apply(total, Number(match[1]), Number(match[2]));
    expect(total, `running total after "${sentence}"`).toBeGreaterThan(0);
  }
  return total;
}

describe('proc_arithmetic_word_problems answers', () => {
  it('equal the running total recomputed from the story text', () => {
    const items = [
      ...arithmeticWordProblemsTask.generate(PROCEDURAL_SIZES.trainSeed, 150),
      ...arithmeticWordProblemsTask.generate(PROCEDURAL_SIZES.testSeed, 150),
    ];
    for (const item of items) expect(String(solveFromText(item.question)), item.question).toBe(item.answer);
    const stepCounts = items.map((item) => item.question.split(/(?<=[.?]) /).length - 2);
    expect(Math.min(...stepCounts)).toBe(2);
    expect(Math.max(...stepCounts)).toBe(4);
  });
});
