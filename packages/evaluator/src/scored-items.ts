import type { EvaluationItem, Example, Scoring, TaskSpec } from '@metaspo/schemas';
import { scorePredictions } from './metrics/score.js';

export interface ItemTotals {
  score: number;
  correct: number;
  formatFailures: number;
}

/**
 * Scores read items with the task's metric and sets each one's `correct`; `examples[i]` is the
 * example of `items[i]` (its accepted answers count for free text). A format failure is an
 * unreadable response whose call succeeded; a failed call is counted apart.
 */
export function scoreItems(
  task: TaskSpec,
  scoring: Scoring,
  items: Array<Omit<EvaluationItem, 'error'> & { error?: string | undefined }>,
  examples: readonly Pick<Example, 'acceptedAnswers'>[],
): ItemTotals {
  const scores = scorePredictions(
    task,
    items.map((item, i) => ({
      prediction: item.prediction,
      gold: item.gold,
      acceptedAnswers: examples[i]!.acceptedAnswers,
    })),
    scoring,
  );
  let formatFailures = 0;
  items.forEach((item, i) => {
    item.correct = scores.correct[i]!;
    if (!item.valid && item.error === undefined) formatFailures += 1;
  });
  return { score: scores.score, correct: scores.correctCount, formatFailures };
}
