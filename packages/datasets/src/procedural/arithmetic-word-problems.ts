import type { Rng } from '@metaspo/service-kit';
import { defineProceduralTask, proceduralSpec } from './procedural-task.js';
import { fill, intBetween, PERSON_NAMES, pick } from './text.js';

const THINGS = ['stickers', 'marbles', 'cookies', 'stamps', 'seashells', 'pencils', 'trading cards', 'beads'];

/** One step of a story: its sentence templates and what it does to the running total, or null when it does not fit. */
interface Step {
  sentences: readonly string[];
  apply: (rng: Rng, total: number) => { total: number; values: Record<string, number> } | null;
}

const STEPS: readonly Step[] = [
  {
    sentences: ['Then {name} buys {b} more {things}.', 'A friend gives {name} another {b} {things}.'],
    apply: (rng, total) => {
      const b = intBetween(rng, 2, 30);
      return { total: total + b, values: { b } };
    },
  },
  {
    sentences: ['{name} gives {b} {things} to a neighbour.', 'Unfortunately, {name} loses {b} {things}.'],
    apply: (rng, total) => {
      if (total < 6) return null;
      const b = intBetween(rng, 1, Math.min(total - 3, 30));
      return { total: total - b, values: { b } };
    },
  },
  {
    sentences: [
      '{name} buys {k} packs with {m} {things} in each pack.',
      '{name} receives {k} boxes holding {m} {things} each.',
    ],
    apply: (rng, total) => {
      const k = intBetween(rng, 2, 6);
      const m = intBetween(rng, 2, 12);
      return { total: total + k * m, values: { k, m } };
    },
  },
  {
    sentences: ['{name} hands {k} classmates {m} {things} each.'],
    apply: (rng, total) => {
      const k = intBetween(rng, 2, 5);
      const m = intBetween(rng, 1, 6);
      return total >= k * m + 3 ? { total: total - k * m, values: { k, m } } : null;
    },
  },
  {
    sentences: ['After a lucky trade, {name} has twice as many {things} as before.'],
    apply: (_rng, total) => (total <= 200 ? { total: total * 2, values: {} } : null),
  },
  {
    sentences: ['{name} splits all the {things} equally into {k} jars and keeps just one jar.'],
    apply: (rng, total) => {
      const divisors = [2, 3, 4, 5].filter((k) => total % k === 0 && total / k >= 4);
      if (divisors.length === 0) return null;
      const k = pick(rng, divisors);
      return { total: total / k, values: { k } };
    },
  },
];

const OPENINGS = [
  '{name} has {a} {things}.',
  '{name} starts the week with {a} {things}.',
  'In the morning, {name} owns {a} {things}.',
];
const ASKS = ['How many {things} does {name} have now?', 'How many {things} does {name} end up with?'];

/** Bounded retries for a step that fits the running total; the additive first step always fits. */
const STEP_DRAWS = 10;

function makeArithmeticWordProblem(rng: Rng) {
  const name = pick(rng, PERSON_NAMES);
  const things = pick(rng, THINGS);
  let total = intBetween(rng, 5, 60);
  const sentences = [fill(pick(rng, OPENINGS), { name, things, a: total })];
  const stepCount = intBetween(rng, 2, 4);
  for (let i = 0; i < stepCount; i += 1) {
    for (let draw = 0; draw < STEP_DRAWS; draw += 1) {
      const step = draw === STEP_DRAWS - 1 ? STEPS[0] : pick(rng, STEPS);
      const result = step?.apply(rng, total);
      if (!step || !result) continue;
      total = result.total;
      sentences.push(fill(pick(rng, step.sentences), { ...result.values, name, things }));
      break;
    }
  }
  sentences.push(fill(pick(rng, ASKS), { name, things }));
  return { question: sentences.join(' '), answer: String(total) };
}

export const arithmeticWordProblemsTask = defineProceduralTask(
  proceduralSpec({
    id: 'proc_arithmetic_word_problems',
    description:
      'A short story with two to four operations (buying, giving away, packs of several, doubling, equal splits) about a collection; compute the final count.',
    initialUserPrompt:
      'Solve the word problem one step at a time, writing down the running total.\n<Question>{question}</Question>\nPut the final number alone, in digits, inside <answer>...</answer>.',
    answerType: { kind: 'integer' },
  }),
  makeArithmeticWordProblem,
);
