/** Stands for an unreadable prediction in macro-F1: its own label, never equal to a gold one. */
const INVALID_LABEL = '\u0000invalid';

/** The fraction of true flags; 0 for no items. */
export function accuracy(correct: readonly boolean[]): number {
  if (correct.length === 0) return 0;
  let hits = 0;
  for (const flag of correct) if (flag) hits += 1;
  return hits / correct.length;
}

/**
 * Macro-averaged F1 as scikit-learn's `f1_score(y_true, y_pred, average="macro")`: the labels
 * are the union of true and predicted labels (a null prediction counts as one extra label
 * "invalid"), each label's F1 is 2TP / (2TP + FP + FN) with 0 when that is 0/0
 * (`zero_division=0`), and the score is their unweighted mean. 0 for no items.
 */
export function macroF1(yTrue: readonly string[], yPred: readonly (string | null)[]): number {
  if (yTrue.length !== yPred.length) {
    throw new Error(`macroF1 needs as many predictions as gold labels (${yPred.length} vs ${yTrue.length})`);
  }
  if (yTrue.length === 0) return 0;
  const counts = new Map<string, { tp: number; fp: number; fn: number }>();
  const countsOf = (label: string) => {
    let c = counts.get(label);
    if (!c) {
      c = { tp: 0, fp: 0, fn: 0 };
      counts.set(label, c);
    }
    return c;
  };
  yTrue.forEach((gold, i) => {
    const predicted = yPred[i] ?? INVALID_LABEL;
    if (predicted === gold) countsOf(gold).tp += 1;
    else {
      countsOf(gold).fn += 1;
      countsOf(predicted).fp += 1;
    }
  });
  let sum = 0;
  for (const { tp, fp, fn } of counts.values()) {
    const denominator = 2 * tp + fp + fn;
    sum += denominator === 0 ? 0 : (2 * tp) / denominator;
  }
  return sum / counts.size;
}
