import { type Candidate, pickCandidate, withoutNested } from './candidates.js';

/** Number words zero to nineteen, in value order. */
export const UNITS = [
  'zero',
  'one',
  'two',
  'three',
  'four',
  'five',
  'six',
  'seven',
  'eight',
  'nine',
  'ten',
  'eleven',
  'twelve',
  'thirteen',
  'fourteen',
  'fifteen',
  'sixteen',
  'seventeen',
  'eighteen',
  'nineteen',
];
const TENS = ['twenty', 'thirty', 'forty', 'fifty', 'sixty', 'seventy', 'eighty', 'ninety'];
const VALUE_OF_WORD = new Map<string, number>([
  ...UNITS.map((w, i) => [w, i] as const),
  ...TENS.map((w, i) => [w, (i + 2) * 10] as const),
]);

/**
 * Digits (with thousands separators, a sign and decimals) or number words from zero to
 * ninety-nine ("twenty-one", "twenty one"). Digits must not touch letters or other digits
 * on the left, so "x2" or "A1" are not numbers.
 */
const NUMBER = new RegExp(
  String.raw`(?<![\p{L}\p{N}.])(-?(?:\d{1,3}(?:,\d{3})+|\d+)(?:\.\d+)?)(?![\d])` +
    String.raw`|(?<![\p{L}\p{N}])(${TENS.join('|')})(?:[\s-]+(${UNITS.slice(1, 10).join('|')}))?(?![\p{L}\p{N}])` +
    String.raw`|(?<![\p{L}\p{N}])(${UNITS.join('|')})(?![\p{L}\p{N}])`,
  'giu',
);

function numberCandidates(text: string): Candidate[] {
  const found: Candidate[] = [];
  for (const match of text.matchAll(NUMBER)) {
    const [whole, digits, tens, unitAfterTens, unit] = match;
    let value: number;
    if (digits !== undefined) value = Number(digits.replaceAll(',', ''));
    else if (tens !== undefined) {
      value =
        VALUE_OF_WORD.get(tens.toLowerCase())! +
        (unitAfterTens ? VALUE_OF_WORD.get(unitAfterTens.toLowerCase())! : 0);
    } else value = VALUE_OF_WORD.get(unit!.toLowerCase())!;
    if (!Number.isFinite(value)) continue;
    found.push({ value: String(value), index: match.index, end: match.index + whole.length });
  }
  return found;
}

/** An integer answer ("42", "1,024", "forty-two", "-3"); a decimal is read but will not match. */
export function extractInteger(text: string): string | null {
  return pickCandidate(text, numberCandidates(text));
}

/** "4/5", "4 out of 5", "4 / 5 stars": the first number is the rating, not the scale's 5. */
const OUT_OF_FIVE =
  /(?<![\p{L}\p{N}])([1-5]|one|two|three|four|five)\s*(?:\/|out\s+of)\s*(?:5|five)(?![\d])/giu;
const STARS = /★{1,5}(?!★)/gu;

/** A rating from 1 to 5, given as a number, a number word, "x/5" or stars. */
export function extractRating(text: string): string | null {
  const scaled: Candidate[] = [];
  for (const match of text.matchAll(OUT_OF_FIVE)) {
    const rating = numberCandidates(match[1]!)[0]!.value;
    scaled.push({ value: rating, index: match.index, end: match.index + match[0].length });
  }
  for (const match of text.matchAll(STARS)) {
    scaled.push({ value: String(match[0].length), index: match.index, end: match.index + match[0].length });
  }
  const inRange = numberCandidates(text).filter((c) => ['1', '2', '3', '4', '5'].includes(c.value));
  return pickCandidate(text, withoutNested([...scaled, ...inRange]));
}
