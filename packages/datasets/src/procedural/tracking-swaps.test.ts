import { describe, expect, it } from 'vitest';
import { PROCEDURAL_SIZES } from './procedural-task.js';
import { trackingSwapsTask } from './tracking-swaps.js';

/** Re-derives the option letter from the question text alone: opening holdings, swap sentences, ask line, options. */
function solveFromText(question: string): string {
  const [opening = '', swapLine = '', ask = '', header, ...optionLines] = question.split('\n');
  expect(header).toBe('Options:');
  const holding = new Map<string, string>();
  const holdingsText = opening.slice(opening.indexOf(':') + 1).replace(/\.$/, '');
  for (const part of holdingsText.split(/, | and /)) {
    const match = /^\s*([A-Z][a-z]+) has (?:an? )?(.+)$/.exec(part);
    if (!match?.[1] || !match[2]) throw new Error(`unparsed holding "${part}"`);
    holding.set(match[1], match[2]);
  }
  expect(holding.size).toBe(5);
  const names = [...holding.keys()];
  const swaps = swapLine.split(/(?<=\.) /);
  expect(swaps[0]).toMatch(/^First, /);
  expect(swaps.at(-1)).toMatch(/^Finally, /);
  for (const sentence of swaps) {
    const [a, b, ...rest] = (sentence.match(/\b[A-Z][a-z]+\b/g) ?? []).filter((word) => names.includes(word));
    if (!a || !b || rest.length > 0) throw new Error(`unparsed swap "${sentence}"`);
    const objectOfA = holding.get(a) ?? '';
    holding.set(a, holding.get(b) ?? '');
    holding.set(b, objectOfA);
  }
  const options = optionLines.map((line, i) => {
    expect(line.slice(0, 4)).toBe(`(${String.fromCharCode(65 + i)}) `);
    return line.slice(4);
  });
  let expected: string | undefined;
  if (/\bwho\b/i.test(ask)) {
    const asked = [...holding.values()].filter((object) => ask.includes(` ${object}`));
    expect(asked).toHaveLength(1);
    expected = names.find((name) => holding.get(name) === asked[0]);
  } else {
    const asked = names.filter((name) => ask.includes(name));
    expect(asked).toHaveLength(1);
    expected = holding.get(asked[0] ?? '');
  }
  const index = options.indexOf(expected ?? '');
  expect(index).toBeGreaterThanOrEqual(0);
  return String.fromCharCode(65 + index);
}

describe('proc_tracking_swaps answers', () => {
  it('match a replay of the swaps parsed from the question text', () => {
    const items = [
      ...trackingSwapsTask.generate(PROCEDURAL_SIZES.trainSeed, 150),
      ...trackingSwapsTask.generate(PROCEDURAL_SIZES.testSeed, 150),
    ];
    for (const item of items) {
      expect(solveFromText(item.question), item.question).toBe(item.answer);
      expect(
        item.question.endsWith(item.options?.map((o, i) => `(${'ABCDE'[i]}) ${o}`).join('\n') ?? ''),
      ).toBe(true);
    }
    const askedForHolders = items.filter((item) => /\bwho\b/i.test(item.question)).length;
    expect(askedForHolders).toBeGreaterThan(items.length / 4);
    expect(askedForHolders).toBeLessThan((3 * items.length) / 4);
  });
});
