import type { AnswerKeyEntry } from '@metaspo/schemas';
import { normalise } from './text.js';

export interface AnswerKey {
  /** The entry whose question is `questionOrMessage`, or is wrapped in it, or appears in it. */
  lookup(questionOrMessage: string): AnswerKeyEntry | undefined;
  size(): number;
}

const QUESTION_WRAPPER = /<question>([\s\S]*?)<\/question>/gi;
/** Length of the prefix that indexes questions for the unwrapped (substring) search. */
const PREFIX_LENGTH = 24;

/**
 * Indexes questions by their normalised text. A message carrying the question in
 * `<Question>...</Question>` is an exact map lookup; without the wrapper every position of the
 * normalised message is tried against an index of question prefixes, and the longest question
 * found there wins. When two entries share a question text, the first one is kept.
 */
export function createAnswerKey(entries: AnswerKeyEntry[]): AnswerKey {
  const byQuestion = new Map<string, AnswerKeyEntry>();
  const byPrefix = new Map<string, string[]>();
  const shortQuestions: string[] = [];
  for (const entry of entries) {
    const key = normalise(entry.question);
    if (key === '' || byQuestion.has(key)) continue;
    byQuestion.set(key, entry);
    if (key.length < PREFIX_LENGTH) {
      shortQuestions.push(key);
      continue;
    }
    const prefix = key.slice(0, PREFIX_LENGTH);
    const bucket = byPrefix.get(prefix);
    if (bucket) bucket.push(key);
    else byPrefix.set(prefix, [key]);
  }
  // Longest first, so a short question that is part of a longer one does not shadow it.
  shortQuestions.sort((a, b) => b.length - a.length);

  const findInside = (message: string): AnswerKeyEntry | undefined => {
    let best: string | undefined;
    for (let i = 0; i + PREFIX_LENGTH <= message.length; i += 1) {
      const bucket = byPrefix.get(message.slice(i, i + PREFIX_LENGTH));
      if (!bucket) continue;
      for (const candidate of bucket) {
        if ((!best || candidate.length > best.length) && message.startsWith(candidate, i)) best = candidate;
      }
    }
    if (!best) best = shortQuestions.find((q) => containsAsWords(message, q));
    return best === undefined ? undefined : byQuestion.get(best);
  };

  return {
    lookup(questionOrMessage) {
      const wrapped = [...questionOrMessage.matchAll(QUESTION_WRAPPER)];
      for (let i = wrapped.length - 1; i >= 0; i -= 1) {
        const found = byQuestion.get(normalise(wrapped[i]?.[1] ?? ''));
        if (found) return found;
      }
      const whole = normalise(questionOrMessage);
      return byQuestion.get(whole) ?? findInside(whole);
    },
    size: () => byQuestion.size,
  };
}

/** True when `needle` occurs in `haystack` not glued to letters or digits on either side. */
function containsAsWords(haystack: string, needle: string): boolean {
  let from = haystack.indexOf(needle);
  while (from !== -1) {
    const before = haystack[from - 1];
    const after = haystack[from + needle.length];
    if (!isWordChar(before) && !isWordChar(after)) return true;
    from = haystack.indexOf(needle, from + 1);
  }
  return false;
}

function isWordChar(ch: string | undefined): boolean {
  return ch !== undefined && /[\p{L}\p{N}]/u.test(ch);
}
