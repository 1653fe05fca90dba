import { DEFAULT_SCORING, type Metric, type Scoring, type TaskSpec } from '@metaspo/schemas';
import { extractPrediction } from '../extraction/extract.js';
import { squadNormalize } from '../extraction/normalize.js';
import { macroF1 } from './classification.js';
import { contains, containsSubstring, exactMatch, tokenF1 } from './squad.js';

export interface PredictionToScore {
  prediction: string | null;
  gold: string;
  /** Free-text tasks: every accepted answer; the gold alone when absent. */
  acceptedAnswers?: readonly string[] | undefined;
}

export interface PredictionScores {
  /** The task's metric over all items, in [0, 1]. */
  score: number;
  /** Per item: the prediction is right (for token F1: a perfect token match). */
  correct: boolean[];
  correctCount: number;
}

type ScoredTask = Pick<TaskSpec, 'answerType' | 'metric'>;

type CanonicalGold = (gold: string) => string;

/**
 * Gold answers of closed answer types are read like predictions ("Yes" -> "yes", "1,024" ->
 * "1024", "b" -> "B"), so both sides are compared in the same canonical form. A task's golds
 * are a handful of letters, labels or numbers repeated over its items: each distinct one is
 * read once per call.
 */
function canonicalGoldReader(task: ScoredTask): CanonicalGold {
  const canonicalByGold = new Map<string, string>();
  return (gold) => {
    let canonical = canonicalByGold.get(gold);
    if (canonical === undefined) {
      // Golds are answers, not responses: read leniently in both modes (no tag around them).
      canonical = extractPrediction(gold, task, { scoring: 'lenient' }).prediction ?? gold.trim();
      canonicalByGold.set(gold, canonical);
    }
    return canonical;
  };
}

/** How well one prediction answers, in [0, 1], by the metric that applies to its answer type. */
function itemScore(
  task: ScoredTask,
  item: PredictionToScore,
  metric: Metric,
  canonicalGold: CanonicalGold,
  scoring: Scoring,
): number {
  if (item.prediction === null) return 0;
  if (task.answerType.kind !== 'free-text') {
    return item.prediction === canonicalGold(item.gold) ? 1 : 0;
  }
  const accepted =
    item.acceptedAnswers && item.acceptedAnswers.length > 0 ? item.acceptedAnswers : [item.gold];
  if (scoring === 'strict') {
    // The reference's grounding metrics, with the official script's normalisation.
    if (metric === 'contains') return containsSubstring(item.prediction, accepted);
    if (metric === 'token-f1') return tokenF1(item.prediction, accepted, squadNormalize);
    return exactMatch(item.prediction, accepted, squadNormalize);
  }
  if (metric === 'contains') return contains(item.prediction, accepted);
  if (metric === 'token-f1') return tokenF1(item.prediction, accepted);
  return exactMatch(item.prediction, accepted);
}

/**
 * Scores a task's predictions with its metric: accuracy, exact match, contains and token F1
 * average the per-item scores; macro-F1 is computed over the canonical gold and predicted
 * labels, invalid predictions being a label of their own. Strict scoring compares free text
 * as the reference does (official SQuAD normalisation, `contains` as a substring).
 */
export function scorePredictions(
  task: ScoredTask,
  items: readonly PredictionToScore[],
  scoring: Scoring = DEFAULT_SCORING,
): PredictionScores {
  const canonicalGold = canonicalGoldReader(task);
  const scores = items.map((item) => itemScore(task, item, task.metric, canonicalGold, scoring));
  const correct = scores.map((s) => s === 1);
  const correctCount = correct.filter(Boolean).length;
  if (task.metric === 'macro-f1') {
    const golds = items.map((item) => canonicalGold(item.gold));
    return {
      score: macroF1(
        golds,
        items.map((item) => item.prediction),
      ),
      correct,
      correctCount,
    };
  }
  const score = scores.length === 0 ? 0 : scores.reduce((a, b) => a + b, 0) / scores.length;
  return { score, correct, correctCount };
}
