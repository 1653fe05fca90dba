/** A reading of part of the answer text as an answer, at the position where it starts. */
export interface Candidate {
  value: string;
  index: number;
  end: number;
}

/**
 * Phrases after which a model states its answer ("The answer is", "Final answer:",
 * "Rating: 4"). Case-insensitive; the candidate must follow on the same line.
 */
const ANSWER_CUE =
  /\b(?:final\s+answer|answer|rating|score|label|prediction|classification)\b(?:\s+(?:is|was|would\s+be|will\s+be|should\s+be))?\s*[:=]?/gi;

/** The first candidate on the same line after the last answer cue that has one, else null. */
export function cuedCandidate(text: string, candidates: readonly Candidate[]): string | null {
  if (candidates.length === 0) return null;
  const cues = [...text.matchAll(ANSWER_CUE)];
  for (let c = cues.length - 1; c >= 0; c -= 1) {
    const cue = cues[c]!;
    const from = cue.index + cue[0].length;
    const newline = text.indexOf('\n', from);
    const lineEnd = newline === -1 ? text.length : newline;
    const after = candidates.find((candidate) => candidate.index >= from && candidate.index < lineEnd);
    if (after) return after.value;
  }
  return null;
}

/**
 * The answer among the candidates of a text: the one an answer cue points at, else the last
 * one (models reason first and conclude last), else null.
 */
export function pickCandidate(text: string, candidates: readonly Candidate[]): string | null {
  return cuedCandidate(text, candidates) ?? candidates[candidates.length - 1]?.value ?? null;
}

/** Candidates in text order, dropping any that lies inside a longer one (e.g. "5" of "4/5"). */
export function withoutNested(candidates: Candidate[]): Candidate[] {
  const sorted = candidates.slice().sort((a, b) => a.index - b.index || b.end - a.end);
  const kept: Candidate[] = [];
  for (const candidate of sorted) {
    const container = kept.find((k) => k.index <= candidate.index && candidate.end <= k.end);
    if (!container) kept.push(candidate);
  }
  return kept;
}

/** Whole-word, case-insensitive matcher for a phrase; its words may be separated by punctuation. */
export function phrasePattern(phrase: string): RegExp {
  const words = phrase
    .toLowerCase()
    .split(/[^\p{L}\p{N}]+/u)
    .filter((w) => w !== '')
    .map((w) => w.replace(/[.*+?^${}()|[\]\\]/g, '\\$&'));
  if (words.length === 0) return /(?!)/g;
  return new RegExp(`(?<![\\p{L}\\p{N}])${words.join('[^\\p{L}\\p{N}]+')}(?![\\p{L}\\p{N}])`, 'giu');
}

/** Every whole-word occurrence of each phrase, as a candidate carrying the phrase's value. */
export function phraseCandidates(
  text: string,
  phrases: ReadonlyArray<{ value: string; pattern: RegExp }>,
): Candidate[] {
  const found: Candidate[] = [];
  for (const { value, pattern } of phrases) {
    for (const match of text.matchAll(pattern)) {
      found.push({ value, index: match.index, end: match.index + match[0].length });
    }
  }
  return withoutNested(found);
}
