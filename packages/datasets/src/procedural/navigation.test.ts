import { describe, expect, it } from 'vitest';
import { navigationTask } from './navigation.js';
import { PROCEDURAL_SIZES } from './procedural-task.js';

const COMPASS: Record<string, [number, number]> = {
  north: [0, 1],
  east: [1, 0],
  south: [0, -1],
  west: [-1, 0],
};
/** Quarter turns clockwise from the walker's facing. */
const RELATIVE_TURNS: Record<string, number> = { forward: 0, right: 1, backward: 2, left: 3 };
const CLOCKWISE: Array<[number, number]> = [
  [0, 1],
  [1, 0],
  [0, -1],
  [-1, 0],
];

/** Walks the instructions line of the question; facing north at the start. */
function returnsToStart(question: string): 'yes' | 'no' {
  const lines = question.split('\n');
  expect(lines).toHaveLength(2);
  let facing = 0;
  let x = 0;
  let y = 0;
  for (const sentence of (lines[1] ?? '').split(/(?<=\.) /)) {
    if (sentence === 'Always face forward.') continue;
    const turn = /^Turn (left|right|around)\.$/.exec(sentence);
    if (turn) {
      facing = (facing + { right: 1, around: 2, left: 3 }[turn[1] as 'left' | 'right' | 'around']) % 4;
      continue;
    }
    const move = /^(?:Take|Walk|Move) (\d+) steps?(?: (\w+))?\.$/.exec(sentence);
    if (!move) throw new Error(`unparsed instruction "${sentence}"`);
    const length = Number(move[1]);
    const word = move[2] ?? 'forward';
    const relative = RELATIVE_TURNS[word];
    const [dx, dy] = COMPASS[word] ?? CLOCKWISE[(facing + (relative ?? Number.NaN)) % 4] ?? [Number.NaN, 0];
    x += dx * length;
    y += dy * length;
  }
  expect(Number.isFinite(x) && Number.isFinite(y)).toBe(true);
  return x === 0 && y === 0 ? 'yes' : 'no';
}

describe('proc_navigation answers', () => {
  it('match a walk of the instructions parsed from the question text', () => {
    const items = [
      ...navigationTask.generate(PROCEDURAL_SIZES.trainSeed, 150),
      ...navigationTask.generate(PROCEDURAL_SIZES.testSeed, 150),
    ];
    for (const item of items) expect(returnsToStart(item.question), item.question).toBe(item.answer);
    const yes = items.filter((item) => item.answer === 'yes').length;
    expect(yes).toBeGreaterThan(items.length * 0.35);
    expect(yes).toBeLessThan(items.length * 0.65);
    expect(items.some((item) => item.question.includes('Turn '))).toBe(true);
    expect(items.some((item) => item.question.includes('Always face forward.'))).toBe(true);
    expect(items.some((item) => / (north|south|east|west)\./.test(item.question))).toBe(true);
  });
});
