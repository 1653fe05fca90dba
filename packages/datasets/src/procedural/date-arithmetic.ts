import { type Rng, shuffled } from '@metaspo/service-kit';
import { defineProceduralTask, proceduralSpec } from './procedural-task.js';
import { fill, formatOptions, intBetween, letters, optionLetter, pick } from './text.js';

const OPTION_COUNT = 5;
const DAY_MS = 86_400_000;

interface DateTemplate {
  text: string;
  /** Days from the stated date to the asked date, for the drawn quantity n. */
  offset: (n: number) => number;
  unit: 'day' | 'week';
}

const TEMPLATES: readonly DateTemplate[] = [
  { text: 'Today is {date}. What is the date {n} from today?', offset: (n) => n, unit: 'day' },
  { text: 'Today is {date}. What was the date {n} ago?', offset: (n) => -n, unit: 'day' },
  { text: 'Today is {date}. What will the date be {n} from today?', offset: (n) => 7 * n, unit: 'week' },
  { text: 'Today is {date}. What was the date {n} ago?', offset: (n) => -7 * n, unit: 'week' },
  {
    text: 'A festival was scheduled for {date}, but it was postponed by {n}. On what date does it take place now?',
    offset: (n) => n,
    unit: 'day',
  },
  {
    text: 'A project deadline was {date}, but it was moved {n} earlier. What is the new deadline?',
    offset: (n) => -n,
    unit: 'day',
  },
  { text: 'Yesterday was {date}. What is the date {n} from today?', offset: (n) => n + 1, unit: 'day' },
  { text: 'Tomorrow will be {date}. What was the date {n} ago?', offset: (n) => -n - 1, unit: 'day' },
];

function formatDate(epochMs: number): string {
  const date = new Date(epochMs);
  const mm = String(date.getUTCMonth() + 1).padStart(2, '0');
  const dd = String(date.getUTCDate()).padStart(2, '0');
  return `${mm}/${dd}/${date.getUTCFullYear()}`;
}

/** Same day in a month or year nearby; Date.UTC rolls an overflowing day into the next month, which is fine for a distractor. */
function shiftCalendar(epochMs: number, months: number, years: number): number {
  const date = new Date(epochMs);
  return Date.UTC(date.getUTCFullYear() + years, date.getUTCMonth() + months, date.getUTCDate());
}

/** Plausible wrong answers: off by one day or a week, a month or a year off, or the offset applied backwards. */
function distractors(start: number, offsetDays: number, answer: number): number[] {
  return [
    answer + DAY_MS,
    answer - DAY_MS,
    answer + 7 * DAY_MS,
    answer - 7 * DAY_MS,
    shiftCalendar(answer, 1, 0),
    shiftCalendar(answer, -1, 0),
    shiftCalendar(answer, 0, 1),
    shiftCalendar(answer, 0, -1),
    start - offsetDays * DAY_MS,
    start,
  ];
}

function makeDateArithmeticItem(rng: Rng) {
  const template = pick(rng, TEMPLATES);
  const start = Date.UTC(intBetween(rng, 1990, 2035), 0, 1) + intBetween(rng, 0, 364) * DAY_MS;
  const n = template.unit === 'week' ? intBetween(rng, 1, 10) : intBetween(rng, 1, 60);
  const offsetDays = template.offset(n);
  const answer = formatDate(start + offsetDays * DAY_MS);
  const wrong = [
    ...new Set(distractors(start, offsetDays, start + offsetDays * DAY_MS).map(formatDate)),
  ].filter((text) => text !== answer);
  const options = shuffled([answer, ...shuffled(wrong, rng).slice(0, OPTION_COUNT - 1)], rng);
  const quantity = `${n} ${template.unit}${n === 1 ? '' : 's'}`;
  const question = `${fill(template.text, { date: formatDate(start), n: quantity })} Give the date as MM/DD/YYYY.\n${formatOptions(options)}`;
  return { question, answer: optionLetter(options.indexOf(answer)), options };
}

export const dateArithmeticTask = defineProceduralTask(
  proceduralSpec({
    id: 'proc_date_arithmetic',
    description:
      'Add or subtract days or weeks from a stated date (today, yesterday, tomorrow, postponements) and pick the resulting MM/DD/YYYY date among five options.',
    initialUserPrompt:
      'Work out the calendar date, minding month lengths and leap years.\n<Question>{question}</Question>\nWrite only the letter of the matching option inside <answer>...</answer>, for example <answer>B</answer>.',
    answerType: { kind: 'option', optionCount: OPTION_COUNT },
    labelSpace: letters(OPTION_COUNT),
  }),
  makeDateArithmeticItem,
);
