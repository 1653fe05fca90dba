import { normalizeAnswer, squadNormalize } from '../extraction/normalize.js';

/** How answers are normalised before comparing: the platform's (lenient) or the official script's. */
export type Normaliser = (text: string) => string;

const tokensOf = (text: string, normalise: Normaliser): string[] => {
  const normalised = normalise(text);
  return normalised === '' ? [] : normalised.split(' ');
};

/** 1 when the prediction equals any accepted answer after SQuAD normalisation, else 0. */
export function exactMatch(
  prediction: string | null,
  accepted: readonly string[],
  normalise: Normaliser = normalizeAnswer,
): number {
  if (prediction === null) return 0;
  const normalised = normalise(prediction);
  return accepted.some((answer) => normalise(answer) === normalised) ? 1 : 0;
}

/**
 * The reference's `compute_contain`: 1 when a normalised accepted answer is a substring of the
 * normalised prediction (official normalisation; "1" is in "10", and "" is in everything).
 */
export function containsSubstring(prediction: string | null, accepted: readonly string[]): number {
  if (prediction === null) return 0;
  const normalised = squadNormalize(prediction);
  return accepted.some((answer) => normalised.includes(squadNormalize(answer))) ? 1 : 0;
}

/**
 * 1 when a normalised accepted answer occurs in the normalised prediction as whole words
 * ("paris" in "it is paris france", but "10" does not contain "1"), else 0. An accepted
 * answer that normalises to nothing never matches.
 */
export function contains(prediction: string | null, accepted: readonly string[]): number {
  if (prediction === null) return 0;
  const padded = ` ${normalizeAnswer(prediction)} `;
  return accepted.some((answer) => {
    const normalised = normalizeAnswer(answer);
    return normalised !== '' && padded.includes(` ${normalised} `);
  })
    ? 1
    : 0;
}

/** SQuAD's token F1 of one prediction against one answer: overlap counted with multiplicity. */
function tokenF1Against(predictionTokens: readonly string[], answer: string, normalise: Normaliser): number {
  const answerToks = tokensOf(answer, normalise);
  // SQuAD: if either side has no tokens, F1 is 1 when both are empty, else 0.
  if (predictionTokens.length === 0 || answerToks.length === 0) {
    return predictionTokens.length === answerToks.length ? 1 : 0;
  }
  const remaining = new Map<string, number>();
  for (const token of answerToks) remaining.set(token, (remaining.get(token) ?? 0) + 1);
  let common = 0;
  for (const token of predictionTokens) {
    const left = remaining.get(token) ?? 0;
    if (left > 0) {
      common += 1;
      remaining.set(token, left - 1);
    }
  }
  if (common === 0) return 0;
  const precision = common / predictionTokens.length;
  const recall = common / answerToks.length;
  return (2 * precision * recall) / (precision + recall);
}

/** The best token F1 over the accepted answers (SQuAD's `metric_max_over_ground_truths`). */
export function tokenF1(
  prediction: string | null,
  accepted: readonly string[],
  normalise: Normaliser = normalizeAnswer,
): number {
  if (prediction === null) return 0;
  const predictionTokens = tokensOf(prediction, normalise);
  return accepted.reduce(
    (best, answer) => Math.max(best, tokenF1Against(predictionTokens, answer, normalise)),
    0,
  );
}
