import type { AnswerType, Metric } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { normalizeAnswer } from '../extraction/normalize.js';
import { accuracy, macroF1 } from './classification.js';
import { scorePredictions } from './score.js';
import { contains, exactMatch, tokenF1 } from './squad.js';

describe('SQuAD normalisation', () => {
  it('lowercases, drops punctuation and articles, collapses whitespace', () => {
    expect(normalizeAnswer('  The  Eiffel-Tower, Paris! ')).toBe('eiffeltower paris');
    expect(normalizeAnswer('An apple a day')).toBe('apple day');
    expect(normalizeAnswer('“Theatre”')).toBe('theatre');
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

  it('scores free text against every accepted answer with the task metric', () => {
    const items = [
      { prediction: 'Obama', gold: 'Barack Obama', acceptedAnswers: ['Barack Obama', 'Obama'] },
      { prediction: 'in the city of Paris', gold: 'Paris' },
    ];
    // exact match: 1 + 0 -> 0.5; contains: 1 + 1 -> 1
    expect(scorePredictions(closed({ kind: 'free-text' }, 'exact-match'), items).score).toBe(0.5);
    expect(scorePredictions(closed({ kind: 'free-text' }, 'contains'), items).score).toBe(1);
    // token F1: item 1 = 1 (matches "Obama"); item 2: [in, city, of, paris] vs [paris] -> P 1/4, R 1,
    // F1 = 2 * 0.25 / 1.25 = 0.4; mean = 0.7
    const f1 = scorePredictions(closed({ kind: 'free-text' }, 'token-f1'), items);
    expect(f1.score).toBeCloseTo(0.7, 12);
    expect(f1.correct).toEqual([true, false]);
  });
});
