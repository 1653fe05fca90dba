import {
  type Candidate,
  phraseCandidates,
  phrasePattern,
  pickCandidate,
  withoutNested,
} from './candidates.js';
import { normalizeAnswer } from './normalize.js';

/**
 * Forms that name an option letter: "(B)", "b)", "Option B" / "choice b", a capital letter
 * standing alone ("B", "B.", "is B,") and any letter right after "Answer:". Otherwise a
 * lowercase letter alone is only read when it is the whole answer, so words like "a" are
 * never options.
 */
const MARKED_LETTER_FORMS = [
  /\(\s*([A-Za-z])\s*\)/g,
  /(?<![\p{L}\p{N}(])([A-Za-z])\)/gu,
  /\b(?:option|choice)\s+([A-Za-z])(?![\p{L}\p{N}])/giu,
];
const BARE_LETTER_FORMS = [
  /(?<![\p{L}\p{N}'’(-])([A-Z])(?![\p{L}\p{N}'’)-])/gu,
  /\banswer\s*[:=]\s*([a-z])(?![\p{L}\p{N}'’)-])/giu,
];

/**
 * A bare "A" or "I" is also an English word. Standing before a lowercase word it is read as
 * the article or the pronoun ("A cat", "I think"), unless that word says something about an
 * option ("A is correct").
 */
const WORD_AFTER = /^\s+([a-z]+)/;
const VERBS_ABOUT_AN_OPTION = new Set(['is', 'was', 'seems', 'appears', 'fits', 'matches', 'looks', 'would']);

function isEnglishWord(letter: string, text: string, end: number): boolean {
  if (letter !== 'A' && letter !== 'I') return false;
  const next = WORD_AFTER.exec(text.slice(end, end + 24))?.[1];
  if (next === undefined) return false;
  return letter === 'I' || !VERBS_ABOUT_AN_OPTION.has(next);
}

function letterCandidates(text: string, optionCount: number): Candidate[] {
  const found: Candidate[] = [];
  const collect = (form: RegExp, bare: boolean) => {
    for (const match of text.matchAll(form)) {
      const letter = match[1]!.toUpperCase();
      const end = match.index + match[0].length;
      if (letter.charCodeAt(0) - 65 >= optionCount) continue;
      if (bare && isEnglishWord(letter, text, end)) continue;
      // Positioned at the letter itself, so "Answer: d" counts as following its cue.
      found.push({ value: letter, index: match.index + match[0].lastIndexOf(match[1]!), end });
    }
  };
  for (const form of MARKED_LETTER_FORMS) collect(form, false);
  for (const form of BARE_LETTER_FORMS) collect(form, true);
  return withoutNested(found);
}

const letterOf = (index: number) => String.fromCharCode(65 + index);

/** Markdown emphasis and quotes before a bare answer, and those or punctuation after it ("**B.**"). */
const LEADING_DECORATION = /[\s*_`"'“”‘’[\]]/;
const TRAILING_DECORATION = /[\s*_`"'“”‘’[\].,:;!]/;

/**
 * The text without its decoration, by scanning from both ends: a `[...]+$` pattern retries
 * from every character of a long run that does not reach the end, quadratic in its length.
 */
function withoutDecoration(text: string): string {
  let start = 0;
  while (start < text.length && LEADING_DECORATION.test(text[start]!)) start += 1;
  let end = text.length;
  while (end > start && TRAILING_DECORATION.test(text[end - 1]!)) end -= 1;
  return text.slice(start, end);
}

/** The option's letter when the text names one of the options by its text. */
function optionByText(text: string, options: readonly string[]): string | null {
  const normalised = normalizeAnswer(text);
  const exact = options.findIndex((option) => normalizeAnswer(option) === normalised);
  if (exact !== -1) return letterOf(exact);
  const phrases = options
    .map((option, i) => ({ value: letterOf(i), pattern: phrasePattern(option) }))
    .filter((_, i) => normalizeAnswer(options[i]!) !== '');
  return pickCandidate(text, phraseCandidates(text, phrases));
}

/**
 * An option letter, A to the task's last option: from a letter form, else from the text of
 * one option when the example's options are known.
 */
export function extractOption(text: string, optionCount: number, options?: readonly string[]): string | null {
  const bare = withoutDecoration(text);
  const whole = /^(?:(?:option|choice)\s+)?\(?([A-Za-z])\)?$/i.exec(bare)?.[1];
  if (whole !== undefined && whole.toUpperCase().charCodeAt(0) - 65 < optionCount) return whole.toUpperCase();
  const letter = pickCandidate(text, letterCandidates(text, optionCount));
  if (letter !== null) return letter;
  return options && options.length > 0 ? optionByText(text, options.slice(0, optionCount)) : null;
}
