import {
  type Candidate,
  cuedCandidate,
  phraseCandidates,
  phrasePattern,
  pickCandidate,
} from './candidates.js';
import { normalizeAnswer, wordsOf } from './normalize.js';

const YES_WORDS = ['yes', 'y', 'yeah', 'yep', 'yup', 'true', 'correct', 'right', 'affirmative', 'agree'];
const NO_WORDS = ['no', 'n', 'nope', 'false', 'incorrect', 'wrong', 'negative', 'disagree', 'not'];
const POLARITY = new Map<string, 'yes' | 'no'>([
  ...YES_WORDS.map((w) => [w, 'yes'] as const),
  ...NO_WORDS.map((w) => [w, 'no'] as const),
]);

/** After an answer cue or as the first word, every synonym counts ("Answer: correct"). */
const ANY_SYNONYM = new RegExp(
  `(?<![\\p{L}\\p{N}])(${[...POLARITY.keys()].join('|')})(?![\\p{L}\\p{N}])`,
  'giu',
);
/** Inside prose only unambiguous words count; "right" or "not" say nothing there. */
const PROSE_WORD = /(?<![\p{L}\p{N}])(yes|no|true|false)(?![\p{L}\p{N}])/giu;

function polarityCandidates(text: string, pattern: RegExp): Candidate[] {
  return [...text.matchAll(pattern)].map((match) => ({
    value: POLARITY.get(match[1]!.toLowerCase())!,
    index: match.index,
    end: match.index + match[0].length,
  }));
}

/**
 * "yes" or "no": an answer that is a single synonym; else the first synonym after an answer
 * cue; else a reply that opens with a synonym ("No, because..."); else the last
 * yes/no/true/false in the prose.
 */
export function extractYesNo(text: string): string | null {
  const words = wordsOf(text);
  const opening = words[0] === undefined ? undefined : POLARITY.get(words[0]);
  if (words.length === 1 && opening) return opening;
  const cued = cuedCandidate(text, polarityCandidates(text, ANY_SYNONYM));
  if (cued !== null) return cued;
  if (opening) return opening;
  return polarityCandidates(text, PROSE_WORD).at(-1)?.value ?? null;
}

/** Compiled label matchers, per label set: the optimizer extracts thousands of answers per task. */
const labelMatchers = new Map<string, Array<{ value: string; pattern: RegExp }>>();
const MAX_CACHED_LABEL_SETS = 256;

function matchersFor(labels: readonly string[]): Array<{ value: string; pattern: RegExp }> {
  const key = labels.join('\u001f');
  let matchers = labelMatchers.get(key);
  if (!matchers) {
    if (labelMatchers.size >= MAX_CACHED_LABEL_SETS) labelMatchers.clear();
    matchers = labels.map((label) => ({ value: label, pattern: phrasePattern(label) }));
    labelMatchers.set(key, matchers);
  }
  return matchers;
}

/**
 * One of the task's labels, returned as the task spells it: an answer equal to a label once
 * normalised; else the label an answer cue points at, else the last label named. A label
 * inside a longer one ("offensive" in "not offensive") is not counted separately.
 */
export function extractLabel(text: string, labels: readonly string[]): string | null {
  const normalised = normalizeAnswer(text);
  const exact = labels.find((label) => normalizeAnswer(label) === normalised);
  if (exact !== undefined) return exact;
  return pickCandidate(text, phraseCandidates(text, matchersFor(labels)));
}
