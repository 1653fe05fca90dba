import { describe, expect, it } from 'vitest';
import { dateArithmeticTask } from './date-arithmetic.js';
import { PROCEDURAL_SIZES } from './procedural-task.js';

/** Days since 1970-01-01 by Howard Hinnant's civil-calendar algorithm, independent of Date. */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146097 + dayOfEra - 719468;
}

function civilFromDays(days: number): string {
  const z = days + 719468;
  const era = Math.floor(z / 146097);
  const dayOfEra = z - era * 146097;
  const yearOfEra = Math.floor(
    (dayOfEra - Math.floor(dayOfEra / 1460) + Math.floor(dayOfEra / 36524) - Math.floor(dayOfEra / 146096)) /
      365,
  );
  const dayOfYear = dayOfEra - (365 * yearOfEra + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100));
  const mp = Math.floor((5 * dayOfYear + 2) / 153);
  const day = dayOfYear - Math.floor((153 * mp + 2) / 5) + 1;
  const month = mp < 10 ? mp + 3 : mp - 9;
  const year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0);
  return `${String(month).padStart(2, '0')}/${String(day).padStart(2, '0')}/${year}`;
}

/** Reads the stated date, the reference day (today, yesterday, tomorrow) and the signed offset from the text. */
function expectedDate(question: string): string {
  const stated = /(\d{2})\/(\d{2})\/(\d{4})/.exec(question);
  const amount = /(\d+) (day|week)s?\b/.exec(question);
  if (!stated || !amount) throw new Error(`unparsed question "${question}"`);
  const forward = /from today|postponed/.test(question);
  const backward = /\bago\b|earlier/.test(question);
  expect(forward !== backward).toBe(true);
  const statedIsToday = question.startsWith('Yesterday was')
    ? 1
    : question.startsWith('Tomorrow will be')
      ? -1
      : 0;
  const offset = statedIsToday + (forward ? 1 : -1) * Number(amount[1]) * (amount[2] === 'week' ? 7 : 1);
  return civilFromDays(daysFromCivil(Number(stated[3]), Number(stated[1]), Number(stated[2])) + offset);
}

describe('civil-calendar helper', () => {
  it('round-trips known dates including leap days', () => {
    expect(daysFromCivil(1970, 1, 1)).toBe(0);
    expect(civilFromDays(daysFromCivil(2024, 2, 28) + 1)).toBe('02/29/2024');
    expect(civilFromDays(daysFromCivil(2023, 2, 28) + 1)).toBe('03/01/2023');
    expect(civilFromDays(daysFromCivil(1999, 12, 31) + 1)).toBe('01/01/2000');
  });
});

describe('proc_date_arithmetic answers', () => {
  it('point at the option equal to the date computed from the question text', () => {
    const items = [
      ...dateArithmeticTask.generate(PROCEDURAL_SIZES.trainSeed, 150),
      ...dateArithmeticTask.generate(PROCEDURAL_SIZES.testSeed, 150),
    ];
    for (const item of items) {
      const options = item.question
        .split('\n')
        .slice(-5)
        .map((line) => /^\([A-E]\) (\d{2}\/\d{2}\/\d{4})$/.exec(line)?.[1]);
      expect(options).toEqual(item.options);
      const expected = expectedDate(item.question);
      expect(
        options.filter((option) => option === expected),
        item.question,
      ).toHaveLength(1);
      expect(item.answer, item.question).toBe('ABCDE'[options.indexOf(expected)]);
    }
  });
});
