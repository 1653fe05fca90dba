import type { AnswerType } from '@metaspo/schemas';
import { UNITS } from './numbers.js';

/*
 * Strict reading: the reference implementation's `clean_response` of each task family
 * (src/tasks/{medmcqa,amazon,bigbench,safety,grounding}.py), reproduced where it decides a
 * score. The README lists each rule and the few places where this reading differs on purpose.
 */

const OPEN_TAG = /<answer>/gi;
const CLOSE_TAG = /<\/answer>/gi;

/**
 * The content of the last `<answer>...</answer>`, as the reference's
 * `re.findall(r"<answer>([\s\S]*?)</answer>", response.lower())[-1]`: tags exactly as written
 * (any case, no inner whitespace), each opening tag closed by the first closing tag after it,
 * the scan going on after that closing tag. So `<answer>A<answer>B</answer>` holds
 * `A<answer>B`, and an opening tag never closed counts for nothing. null without a tag.
 * Two literal searches per tag: linear in the response.
 */
export function lastAnswerTag(response: string): string | null {
  let last: string | null = null;
  let from = 0;
  for (;;) {
    OPEN_TAG.lastIndex = from;
    const open = OPEN_TAG.exec(response);
    if (!open) break;
    const contentStart = open.index + open[0].length;
    CLOSE_TAG.lastIndex = contentStart;
    const close = CLOSE_TAG.exec(response);
    // No closing tag after this opening one: none after any later opening one either.
    if (!close) break;
    last = response.slice(contentStart, close.index);
    from = close.index + close[0].length;
  }
  return last;
}

const LETTERS = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const optionPatterns = new Map<number, { parenthesised: RegExp; anywhere: RegExp }>();

function optionPatternsFor(optionCount: number) {
  let patterns = optionPatterns.get(optionCount);
  if (!patterns) {
    const range = `A-${LETTERS[optionCount - 1]}`;
    patterns = {
      parenthesised: new RegExp(`\\(([${range}])\\)`, 'i'),
      anywhere: new RegExp(`[${range}]`, 'i'),
    };
    optionPatterns.set(optionCount, patterns);
  }
  return patterns;
}

/**
 * medmcqa.py / bigbench.py: the first `(X)` with X among the options, else the first such
 * letter anywhere in the tag, inside words too (`<answer>Bradycardia</answer>` reads B, as
 * the reference reads it). No letter in range: a format failure.
 */
function strictOption(content: string, optionCount: number): string | null {
  const { parenthesised, anywhere } = optionPatternsFor(optionCount);
  const letter = parenthesised.exec(content)?.[1] ?? anywhere.exec(content)?.[0];
  return letter === undefined ? null : letter.toUpperCase();
}

/** amazon.py: the first run of digits as an integer ("4/5" -> 4, "05" -> 5, "10" -> 10, wrong). */
function strictRating(content: string): string | null {
  const digits = /\d+/.exec(content)?.[0];
  return digits === undefined ? null : String(Number.parseInt(digits, 10));
}

/** bigbench.py's `number_to_word_dict`: one to twenty-one, "twenty-one" hyphenated only. */
const REFERENCE_NUMBER_WORDS = new Map<string, number>(
  [...UNITS.slice(1), 'twenty', 'twenty-one'].map((word, i) => [word, i + 1]),
);

/**
 * bigbench.py (object counting): the tag's text, trimmed and lowercased; a number word from
 * the reference's table becomes its digits. Anything else stays as written ("7 apples",
 * "7.") and so never equals a gold number, as in the reference.
 */
function strictInteger(content: string): string {
  const text = content.trim().toLowerCase();
  const word = REFERENCE_NUMBER_WORDS.get(text);
  return word === undefined ? text : String(word);
}

/**
 * safety.py: the tag's text, trimmed and lowercased. "yes" and "no" are the answers; any other
 * text ("yes.", "maybe") is kept as the prediction: wrong, and in macro-F1 a class of its own.
 */
function strictYesNo(content: string): string {
  return content.trim().toLowerCase();
}

/** The tag's text, trimmed and lowercased, as the task spells the label it names, else as is. */
function strictLabel(content: string, labels: readonly string[]): string {
  const text = content.trim().toLowerCase();
  return labels.find((label) => label.trim().toLowerCase() === text) ?? text;
}

/** Reads the content of the last answer tag by answer type; null is a format failure. */
export function readStrictTag(content: string, answerType: AnswerType): string | null {
  if (content.trim() === '') return null;
  switch (answerType.kind) {
    case 'option':
      return strictOption(content, answerType.optionCount);
    case 'rating':
      return strictRating(content);
    case 'integer':
      return strictInteger(content);
    case 'yes-no':
      return strictYesNo(content);
    case 'label':
      return strictLabel(content, answerType.labels);
    case 'free-text':
      return content.trim();
  }
}

/**
 * grounding.py: the whole response is the answer (its metric normalises it). An empty one is
 * the only format failure.
 */
export function readStrictBare(response: string): string | null {
  const text = response.trim();
  return text === '' ? null : text;
}
