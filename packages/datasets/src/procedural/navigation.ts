import { type Rng, shuffled } from '@metaspo/service-kit';
import { defineProceduralTask, proceduralSpec } from './procedural-task.js';
import { intBetween, pick } from './text.js';

type Vector = readonly [number, number];

/** Headings clockwise from north; a right turn adds one. */
const HEADINGS: readonly Vector[] = [
  [0, 1],
  [1, 0],
  [0, -1],
  [-1, 0],
];
const COMPASS = ['north', 'east', 'south', 'west'] as const;
interface Path {
  instructions: string[];
  end: Vector;
}

/** Relative directions while always facing north. */
const RELATIVE = ['forward', 'right', 'backward', 'left'] as const;

const INTROS = [
  'If you follow these instructions, do you return to the starting point?',
  'You start on an open field and carry out the moves below in order. Do you end up exactly where you started?',
  'A robot executes the following commands one after another. Is it back at its starting position afterwards?',
];

function steps(n: number): string {
  return n === 1 ? '1 step' : `${n} steps`;
}

/** Moves that cancel a displacement, as heading indexes with lengths (x first, then y). */
function closingMoves([x, y]: Vector): Array<{ heading: number; length: number }> {
  const moves: Array<{ heading: number; length: number }> = [];
  if (x !== 0) moves.push({ heading: x > 0 ? 3 : 1, length: Math.abs(x) });
  if (y !== 0) moves.push({ heading: y > 0 ? 2 : 0, length: Math.abs(y) });
  return moves;
}

function randomMove(rng: Rng) {
  return { heading: intBetween(rng, 0, 3), length: intBetween(rng, 1, 10) };
}

function displacement(moves: ReadonlyArray<{ heading: number; length: number }>): Vector {
  let x = 0;
  let y = 0;
  for (const { heading, length } of moves) {
    const [hx, hy] = HEADINGS[heading] ?? [0, 0];
    x += hx * length;
    y += hy * length;
  }
  return [x, y];
}

/** Pure translations commute, so closing moves can be shuffled in and the answer stays the same. */
function translationPath(rng: Rng, returnHome: boolean, words: readonly string[]): Path {
  const moves = Array.from({ length: intBetween(rng, 2, 6) }, () => randomMove(rng));
  const all = returnHome ? shuffled([...moves, ...closingMoves(displacement(moves))], rng) : moves;
  const verb = pick(rng, ['Take', 'Walk', 'Move']);
  return {
    instructions: all.map(({ heading, length }) => `${verb} ${steps(length)} ${words[heading]}.`),
    end: displacement(all),
  };
}

/** Turning changes what "forward" means, so here the closing moves must come last and in order. */
function turningPath(rng: Rng, returnHome: boolean): Path {
  const instructions: string[] = [];
  let heading = 0;
  let position: Vector = [0, 0];
  const turn = (to: number) => {
    const delta = (to - heading + 4) % 4;
    if (delta !== 0) instructions.push(['', 'Turn right.', 'Turn around.', 'Turn left.'][delta] ?? '');
    heading = to;
  };
  const walk = (length: number) => {
    const [hx, hy] = HEADINGS[heading] ?? [0, 0];
    position = [position[0] + hx * length, position[1] + hy * length];
    instructions.push(
      pick(rng, ['Take {n} forward.', 'Walk {n}.', 'Take {n}.']).replace('{n}', steps(length)),
    );
  };
  const randomCount = intBetween(rng, 3, 7);
  for (let i = 0; i < randomCount; i += 1) {
    if (i > 0 && rng() < 0.4) turn(intBetween(rng, 0, 3));
    walk(intBetween(rng, 1, 10));
  }
  if (returnHome) {
    for (const move of closingMoves(position)) {
      turn(move.heading);
      walk(move.length);
    }
  }
  return { instructions, end: position };
}

function makeNavigationItem(rng: Rng) {
  const returnHome = rng() < 0.5;
  const style = intBetween(rng, 0, 2);
  const path =
    style === 0
      ? translationPath(rng, returnHome, RELATIVE)
      : style === 1
        ? translationPath(rng, returnHome, COMPASS)
        : turningPath(rng, returnHome);
  const instructions = style === 0 ? ['Always face forward.', ...path.instructions] : path.instructions;
  // A path meant to wander can still close by chance; the answer is where it really ends.
  const closed = path.end[0] === 0 && path.end[1] === 0;
  return { question: `${pick(rng, INTROS)}\n${instructions.join(' ')}`, answer: closed ? 'yes' : 'no' };
}

export const navigationTask = defineProceduralTask(
  proceduralSpec({
    id: 'proc_navigation',
    description:
      'A list of steps and turns (relative, compass or turn-then-walk); say whether the walker ends at the starting point.',
    initialUserPrompt:
      'Trace the movements carefully, keeping track of position and facing.\n<Question>{question}</Question>\nAnswer yes or no inside <answer>...</answer>.',
    answerType: { kind: 'yes-no' },
    labelSpace: ['yes', 'no'],
  }),
  makeNavigationItem,
);
