import type { AnswerType, Metric } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { normalizeAnswer, squadNormalize } from '../extraction/normalize.js';
import { accuracy, macroF1 } from './classification.js';
import { scorePredictions } from './score.js';
import { contains, containsSubstring, exactMatch, tokenF1 } from './squad.js';

describe('SQuAD normalisation', () => {
  it('lowercases, drops punctuation and articles, collapses whitespace', () => {
    expect(normalizeAnswer('  The  Eiffel-Tower, Paris! ')).toBe('eiffeltower paris');
    expect(normalizeAnswer('An apple a day')).toBe('apple day');
    expect(normalizeAnswer('“Theatre”')).toBe('theatre');
  });
});

describe('official SQuAD normalisation (strict)', () => {
  it('gives what the reference normalize_answer gives', () => {
    // Expected values: the reference's normalize_answer (grounding.py) run under python3 on
    // each string: ASCII punctuation only, Unicode word boundaries, str.split() whitespace.
    const cases: Array<[string, string]> = [
      ['  The  Eiffel-Tower, Paris! ', 'eiffeltower paris'],
      ['“Theatre”', '“theatre”'],
      ["l'été a_b", 'lété ab'],
      ['x éa b', 'x éa b'],
      ['a\x1cb', 'b'],
      ['The\u00a0Beatles\ufeff', 'beatles\ufeff'],
      ['An apple a day', 'apple day'],
      ['résumé—the end', 'résumé— end'],
    ];
    for (const [text, normalised] of cases)
      expect(squadNormalize(text), JSON.stringify(text)).toBe(normalised);
  });
});

describe('accuracy', () => {
  it('is the fraction of correct items', () => {
    // 3 of 4 correct -> 0.75
    expect(accuracy([true, false, true, true])).toBe(0.75);
    expect(accuracy([])).toBe(0);
  });
});

describe('macroF1', () => {
  it('matches scikit-learn on a three-class example', () => {
    // y_true = [a, a, b, b, c, c], y_pred = [a, b, b, b, c, a]
    // a: TP 1, FP 1 (item 6), FN 1 (item 2) -> F1 = 2/(2+1+1) = 0.5
    // b: TP 2, FP 1 (item 2), FN 0          -> F1 = 4/(4+1+0) = 0.8
    // c: TP 1, FP 0, FN 1 (item 6)          -> F1 = 2/(2+0+1) = 2/3
    // macro = (0.5 + 0.8 + 2/3) / 3 = 0.655555...
    const score = macroF1(['a', 'a', 'b', 'b', 'c', 'c'], ['a', 'b', 'b', 'b', 'c', 'a']);
    expect(score).toBeCloseTo((0.5 + 0.8 + 2 / 3) / 3, 12);
  });

  it('counts invalid predictions as a label of their own and predicted-only labels too', () => {
    // y_true = [yes, yes, no, no], y_pred = [yes, invalid, no, maybe]
    // yes: TP 1, FN 1 -> 2/3; no: TP 1, FN 1 -> 2/3; invalid: FP 1 -> 0; maybe: FP 1 -> 0
    // macro over 4 labels = (2/3 + 2/3 + 0 + 0) / 4 = 1/3
    expect(macroF1(['yes', 'yes', 'no', 'no'], ['yes', null, 'no', 'maybe'])).toBeCloseTo(1 / 3, 12);
  });

  it('gives 1 for perfect predictions and 0 for no items', () => {
    expect(macroF1(['x', 'y'], ['x', 'y'])).toBe(1);
    expect(macroF1([], [])).toBe(0);
    expect(() => macroF1(['x'], [])).toThrow(/as many predictions/);
  });
});

describe('macroF1 against scikit-learn', () => {
  // Expected values from a python3 re-implementation of sklearn's documented f1_score(average=
  // "macro") with default labels: labels = sorted(set(y_true) | set(y_pred)); per label
  // P = TP/(TP+FP), R = TP/(TP+FN), each 0 when undefined; F1 = 2PR/(P+R), 0 when P+R = 0;
  // the unweighted mean. Each value is also worked out by hand below.

  it('counts a label only in the predictions as a class with F1 0', () => {
    // y_true [yes, yes, no, no, no], y_pred [yes, no, no, "yes.", no] -> labels no, yes, "yes."
    // no: TP 2, FP 1, FN 1 -> P 2/3, R 2/3, F1 2/3; yes: TP 1, FP 0, FN 1 -> P 1, R 1/2, F1 2/3
    // "yes.": TP 0, FP 1 -> 0. macro = (2/3 + 2/3 + 0) / 3 = 4/9 (python: 0.4444444444444444)
    expect(macroF1(['yes', 'yes', 'no', 'no', 'no'], ['yes', 'no', 'no', 'yes.', 'no'])).toBeCloseTo(
      4 / 9,
      12,
    );
  });

  it('counts a label only in the golds as a class with F1 0', () => {
    // y_true [a, b, c, c], y_pred [a, a, c, c] -> a: TP 1, FP 1 -> P 1/2, R 1, F1 2/3;
    // b: TP 0, FN 1 -> 0; c: TP 2 -> 1. macro = (2/3 + 0 + 1) / 3 = 5/9 (python: 0.5555555555555555)
    expect(macroF1(['a', 'b', 'c', 'c'], ['a', 'a', 'c', 'c'])).toBeCloseTo(5 / 9, 12);
  });

  it('counts all format failures as one class, as safety.py does with its one error string', () => {
    // y_true [yes, no, yes, no, yes, no], y_pred [yes, F, F, no, no, F] (F = format failure)
    // yes: TP 1, FN 2 -> P 1, R 1/3, F1 0.5; no: TP 1, FP 1, FN 2 -> P 1/2, R 1/3, F1 0.4;
    // F: FP 3 -> 0. macro = 0.9 / 3 = 0.3 (python: 0.3; three distinct failure labels would give 0.18)
    const golds = ['yes', 'no', 'yes', 'no', 'yes', 'no'];
    expect(macroF1(golds, ['yes', null, null, 'no', 'no', null])).toBeCloseTo(0.3, 12);
  });
});

describe('strict free-text metrics (grounding.py)', () => {
  it('exact match uses the official normalisation', () => {
    // Lenient drops curly quotes as punctuation; the official script keeps them.
    expect(exactMatch('“Paris”', ['Paris'], squadNormalize)).toBe(0);
    expect(exactMatch('“Paris”', ['Paris'])).toBe(1);
    expect(exactMatch('The Paris!', ['paris'], squadNormalize)).toBe(1);
  });

  it('contains is a substring test, as compute_contain', () => {
    expect(containsSubstring('10 people', ['1'])).toBe(1);
    expect(containsSubstring('in Paris, France', ['paris'])).toBe(1);
    expect(containsSubstring('Lyon', ['paris'])).toBe(0);
    expect(containsSubstring(null, ['paris'])).toBe(0);
  });
});

describe('free-text metrics', () => {
  it('exact match takes the best accepted answer after normalisation', () => {
    expect(exactMatch('the Eiffel Tower.', ['Eiffel Tower', 'La Tour Eiffel'])).toBe(1);
    expect(exactMatch('Eiffel', ['Eiffel Tower'])).toBe(0);
    expect(exactMatch(null, ['x'])).toBe(0);
  });

  it('contains matches whole words only', () => {
    expect(contains('It was in Paris, France.', ['paris'])).toBe(1);
    expect(contains('10 people', ['1'])).toBe(0);
    expect(contains('anything', ['the'])).toBe(0);
  });

  it('token F1 counts overlapping tokens with multiplicity', () => {
    // prediction tokens [barack, obama, jr] vs answer [barack, hussein, obama]
    // common = 2, precision = 2/3, recall = 2/3, F1 = 2/3
    expect(tokenF1('Barack Obama Jr', ['Barack Hussein Obama'])).toBeCloseTo(2 / 3, 12);
    // [new, new, york] vs [new, york]: common = 2 (new once, york once)
    // precision = 2/3, recall = 1, F1 = 2 * (2/3) / (5/3) = 0.8; best of answers -> 0.8
    expect(tokenF1('new new york', ['New York', 'Boston'])).toBeCloseTo(0.8, 12);
    expect(tokenF1('a', ['the'])).toBe(1);
  });
});

describe('scorePredictions', () => {
  const closed = (answerType: AnswerType, metric: Metric) => ({ answerType, metric });

  it('compares closed answers in canonical form', () => {
    const task = closed({ kind: 'yes-no' }, 'accuracy');
    // golds Yes/no/YES vs predictions yes/no/null -> correct, correct, wrong = 2/3
    const scores = scorePredictions(task, [
      { prediction: 'yes', gold: 'Yes' },
      { prediction: 'no', gold: 'no' },
      { prediction: null, gold: 'YES' },
    ]);
    expect(scores).toEqual({ score: 2 / 3, correct: [true, true, false], correctCount: 2 });
  });

  it('uses macro-F1 over canonical labels when the task says so', () => {
    const task = closed({ kind: 'option', optionCount: 3 }, 'macro-f1');
    // golds [A, B, B], predictions [A, B, null]:
    // A: TP1 -> 1; B: TP1 FN1 -> 2/3; invalid: FP1 -> 0; macro = (1 + 2/3 + 0) / 3 = 5/9
    const scores = scorePredictions(task, [
      { prediction: 'A', gold: 'a' },
      { prediction: 'B', gold: 'B' },
      { prediction: null, gold: 'B' },
    ]);
    expect(scores.score).toBeCloseTo(5 / 9, 12);
    expect(scores.correct).toEqual([true, true, false]);
  });

  it('reads every spelling of a repeated gold the same way', () => {
    const task = closed({ kind: 'integer' }, 'accuracy');
    const scores = scorePredictions(task, [
      { prediction: '1024', gold: '1,024' },
      { prediction: '1024', gold: '1024' },
      { prediction: '1024', gold: '1,024' },
      { prediction: '1024', gold: 'one' },
      { prediction: '1', gold: 'one' },
    ]);
    expect(scores.correct).toEqual([true, true, true, false, true]);
  });

  it('scores strict macro-F1 with out-of-space predictions and format failures', () => {
    const task = closed({ kind: 'yes-no' }, 'macro-f1');
    // Same labels as the sklearn case above with "yes." in the predictions: 4/9.
    const golds = ['yes', 'yes', 'no', 'no', 'no'];
    const predictions = ['yes', 'no', 'no', 'yes.', 'no'];
    const items = golds.map((gold, i) => ({ gold, prediction: predictions[i]! }));
    expect(scorePredictions(task, items, 'strict').score).toBeCloseTo(4 / 9, 12);
  });

  it('scores free text against every accepted answer with the task metric', () => {
    const items = [
      { prediction: 'Obama', gold: 'Barack Obama', acceptedAnswers: ['Barack Obama', 'Obama'] },
      { prediction: 'in the city of Paris', gold: 'Paris' },
    ];
    // exact match: 1 + 0 -> 0.5; contains: 1 + 1 -> 1
    expect(scorePredictions(closed({ kind: 'free-text' }, 'exact-match'), items, 'lenient').score).toBe(0.5);
    expect(scorePredictions(closed({ kind: 'free-text' }, 'contains'), items, 'lenient').score).toBe(1);
    // token F1: item 1 = 1 (matches "Obama"); item 2: [in, city, of, paris] vs [paris] -> P 1/4, R 1,
    // F1 = 2 * 0.25 / 1.25 = 0.4; mean = 0.7
    const f1 = scorePredictions(closed({ kind: 'free-text' }, 'token-f1'), items, 'lenient');
    expect(f1.score).toBeCloseTo(0.7, 12);
    expect(f1.correct).toEqual([true, false]);
  });
});
