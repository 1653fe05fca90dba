import { type Rng, randomInt, shuffled } from '@metaspo/service-kit';

export function pick<T>(rng: Rng, items: readonly T[]): T {
  const item = items[Math.floor(rng() * items.length)];
  if (item === undefined) throw new RangeError('pick from an empty list');
  return item;
}

/** `k` distinct items in random order. */
export function pickDistinct<T>(rng: Rng, items: readonly T[], k: number): T[] {
  if (k > items.length) throw new RangeError(`cannot pick ${k} distinct items from ${items.length}`);
  return shuffled(items, rng).slice(0, k);
}

/** Inclusive on both ends, which reads better for "between 2 and 9 items". */
export function intBetween(rng: Rng, min: number, max: number): number {
  return randomInt(rng, min, max + 1);
}

export function optionLetter(index: number): string {
  return String.fromCharCode(65 + index);
}

export function letters(count: number): string[] {
  return Array.from({ length: count }, (_, i) => optionLetter(i));
}

/** "Options:" followed by one "(A) text" line per option, the layout answer extraction expects. */
export function formatOptions(options: readonly string[]): string {
  return ['Options:', ...options.map((option, i) => `(${optionLetter(i)}) ${option}`)].join('\n');
}

/** "a", "a and b", "a, b and c". */
export function joinAnd(parts: readonly string[]): string {
  if (parts.length <= 1) return parts.join('');
  return `${parts.slice(0, -1).join(', ')} and ${parts[parts.length - 1]}`;
}

const NUMBER_WORDS = ['zero', 'one', 'two', 'three', 'four', 'five', 'six', 'seven', 'eight', 'nine', 'ten'];

/** Small quantities read as words ("three"), larger ones as digits. */
export function numberWord(n: number): string {
  return NUMBER_WORDS[n] ?? String(n);
}

export function withIndefiniteArticle(noun: string): string {
  return `${/^[aeiou]/i.test(noun) ? 'an' : 'a'} ${noun}`;
}

export function capitalize(text: string): string {
  return text.charAt(0).toUpperCase() + text.slice(1);
}

/** Fills `{name}` slots of a template; a missing value is a programming error, so it throws. */
export function fill(template: string, values: Readonly<Record<string, string | number>>): string {
  return template.replace(/\{(\w+)\}/g, (_, key: string) => {
    const value = values[key];
    if (value === undefined) throw new RangeError(`template slot {${key}} has no value`);
    return String(value);
  });
}

export const PERSON_NAMES: readonly string[] = [
  'Alice',
  'Bob',
  'Claire',
  'Dave',
  'Eve',
  'Fred',
  'Gertrude',
  'Helen',
  'Ivan',
  'Julia',
  'Kofi',
  'Lena',
  'Mateo',
  'Nadia',
  'Omar',
  'Priya',
  'Quinn',
  'Rosa',
  'Sami',
  'Tariq',
  'Uma',
  'Victor',
  'Wen',
  'Yara',
];
