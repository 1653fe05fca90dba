import type { AnswerKeyEntry } from '@metaspo/schemas';
import { createPrefixIndex } from './prefix-index.js';
import { normalise, normaliseRecent } from './text.js';

export interface AnswerKey {
  /** The entry whose question is `questionOrMessage`, or is wrapped in it, or appears in it. */
  lookup(questionOrMessage: string): AnswerKeyEntry | undefined;
  size(): number;
}

const QUESTION_WRAPPER = /<question>([\s\S]*?)<\/question>/gi;
/** Length of the prefix that indexes questions for the unwrapped (substring) search. */
const PREFIX_LENGTH = 24;
/**
 * Recent lookups by message. The gateway asks about each message once to decide whether to
 * reload the key, and the model asks again to answer it: the second ask is a map hit.
 */
const RECENT_LIMIT = 4_096;

/**
 * Indexes questions by their normalised text. A message carrying the question in
 * `<Question>...</Question>` is an exact map lookup; without the wrapper every position of the
 * normalised message is tried against an index of question prefixes, and the longest question
 * found there wins. When two entries share a question text, the first one is kept.
 */
export function createAnswerKey(entries: AnswerKeyEntry[]): AnswerKey {
  const builder = createAnswerKeyBuilder();
  for (const entry of entries) builder.add(entry);
  return builder.finish();
}

/** How long one slice of `createAnswerKeyInSlices` may run before it yields. */
const BUILD_SLICE_MS = 8;
/** Entries indexed between two clock reads. */
const ENTRIES_PER_CHECK = 64;

/**
 * The same key as `createAnswerKey`, built in slices of a few milliseconds with a turn of the
 * event loop between them: indexing the 4,900 procedural questions takes 57-130 ms, which a
 * server building it at run start spent in one turn while its HTTP requests waited.
 */
export async function createAnswerKeyInSlices(
  entries: readonly AnswerKeyEntry[],
  sliceMs = BUILD_SLICE_MS,
): Promise<AnswerKey> {
  const builder = createAnswerKeyBuilder();
  let sliceStart = performance.now();
  for (let i = 0; i < entries.length; i += 1) {
    builder.add(entries[i]!);
    if (i % ENTRIES_PER_CHECK !== ENTRIES_PER_CHECK - 1 || performance.now() - sliceStart < sliceMs) continue;
    await new Promise<void>((resolve) => setImmediate(resolve));
    sliceStart = performance.now();
  }
  return builder.finish();
}

function createAnswerKeyBuilder() {
  const byQuestion = new Map<string, AnswerKeyEntry>();
  const prefixes = createPrefixIndex(PREFIX_LENGTH);
  const shortQuestions: string[] = [];
  const add = (entry: AnswerKeyEntry): void => {
    const key = normalise(entry.question);
    if (key === '' || byQuestion.has(key)) return;
    byQuestion.set(key, entry);
    if (key.length < PREFIX_LENGTH) shortQuestions.push(key);
    else prefixes.add(key);
  };

  const finish = (): AnswerKey => {
    // Longest first, so a short question that is part of a longer one does not shadow it.
    shortQuestions.sort((a, b) => b.length - a.length);

    const findInside = (message: string): AnswerKeyEntry | undefined => {
      const best = prefixes.longestAt(message) ?? shortQuestions.find((q) => containsAsWords(message, q));
      return best === undefined ? undefined : byQuestion.get(best);
    };

    const search = (questionOrMessage: string): AnswerKeyEntry | undefined => {
      // The wrapper pattern cannot match without a '<': most messages skip the regex.
      if (questionOrMessage.includes('<')) {
        const wrapped = [...questionOrMessage.matchAll(QUESTION_WRAPPER)];
        for (let i = wrapped.length - 1; i >= 0; i -= 1) {
          const found = byQuestion.get(normalise(wrapped[i]?.[1] ?? ''));
          if (found) return found;
        }
      }
      const whole = normaliseRecent(questionOrMessage);
      return byQuestion.get(whole) ?? findInside(whole);
    };

    // null: looked up and not found.
    const recent = new Map<string, AnswerKeyEntry | null>();
    return {
      lookup(questionOrMessage) {
        const known = recent.get(questionOrMessage);
        if (known !== undefined) return known ?? undefined;
        const found = search(questionOrMessage);
        if (recent.size >= RECENT_LIMIT) recent.clear();
        recent.set(questionOrMessage, found ?? null);
        return found;
      },
      size: () => byQuestion.size,
    };
  };
  return { add, finish };
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
