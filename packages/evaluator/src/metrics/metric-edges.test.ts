import type { AnswerType, Metric } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { squadNormalize } from '../extraction/normalize.js';
import { macroF1 } from './classification.js';
import { scorePredictions } from './score.js';
import { contains, containsSubstring, exactMatch, tokenF1 } from './squad.js';

const task = (answerType: AnswerType, metric: Metric) => ({ answerType, metric });
const freeText = (metric: Metric) => task({ kind: 'free-text' }, metric);

describe('macroF1 edge labels', () => {
  it('never lets an unreadable prediction match a gold label, not even an empty one', () => {
    // gold "" with a null prediction: "" has FN 1, invalid has FP 1 -> (0 + 0) / 2 = 0
    expect(macroF1([''], [null])).toBe(0);
    // gold "" predicted "": TP 1 -> 1
    expect(macroF1([''], [''])).toBe(1);
  });
});

describe('token F1 edge cases', () => {
  it('splits normalised text into words, not whole strings', () => {
    // [new, york] vs [new, york, city]: common 2, P 1, R 2/3 -> F1 0.8
    expect(tokenF1('New York', ['new york city'])).toBeCloseTo(0.8, 12);
    expect(tokenF1('New York', ['new york city'], squadNormalize)).toBeCloseTo(0.8, 12);
  });

  it('gives 0 when only one side normalises to no tokens, 1 when both do', () => {
    expect(tokenF1('the', ['paris'])).toBe(0);
    expect(tokenF1('paris', ['an'])).toBe(0);
    expect(tokenF1('The!', ['a'])).toBe(1);
  });

  it('gives 0 for a null prediction whatever the answers are', () => {
    expect(tokenF1(null, ['null'])).toBe(0);
    expect(tokenF1(null, ['null'], squadNormalize)).toBe(0);
  });
});

describe('contains edge cases', () => {
  it('never matches an answer that normalises to nothing, even in an empty prediction', () => {
    expect(contains('The', ['a'])).toBe(0);
    expect(contains('', [''])).toBe(0);
  });

  it('gives 0 for a null prediction whatever the answers are', () => {
    expect(contains(null, ['null'])).toBe(0);
  });

  it('the substring form matches when any one accepted answer is inside', () => {
    expect(containsSubstring('in Paris', ['Lyon', 'paris'])).toBe(1);
    expect(containsSubstring('in Paris', ['Lyon', 'Nice'])).toBe(0);
  });
});

describe('exact match vs normalisation', () => {
  it('lenient and official normalisation disagree on Unicode punctuation only', () => {
    expect(exactMatch('Paris—', ['paris'])).toBe(1);
    expect(exactMatch('Paris—', ['paris'], squadNormalize)).toBe(0);
    expect(exactMatch('An  Apple.', ['apple'], squadNormalize)).toBe(1);
  });
});

describe('scorePredictions edge cases', () => {
  const items = [{ prediction: 'Barack Obama', gold: 'Obama' }];

  it('scores each strict free-text metric by its own rule', () => {
    // exact: "barack obama" != "obama" -> 0; contains: "obama" is a substring -> 1;
    // token F1: [barack, obama] vs [obama] -> P 1/2, R 1 -> 2/3
    expect(scorePredictions(freeText('exact-match'), items, 'strict').score).toBe(0);
    expect(scorePredictions(freeText('contains'), items, 'strict').score).toBe(1);
    expect(scorePredictions(freeText('token-f1'), items, 'strict').score).toBeCloseTo(2 / 3, 12);
  });

  it('falls back to the gold when the accepted answers are an empty list', () => {
    const scores = scorePredictions(
      freeText('exact-match'),
      [{ prediction: 'Obama', gold: 'Obama', acceptedAnswers: [] }],
      'lenient',
    );
    expect(scores).toEqual({ score: 1, correct: [true], correctCount: 1 });
  });

  it('gives 0 for no items with an averaged metric', () => {
    const accuracyTask = task({ kind: 'yes-no' }, 'accuracy');
    expect(scorePredictions(accuracyTask, [])).toEqual({ score: 0, correct: [], correctCount: 0 });
    expect(scorePredictions(freeText('token-f1'), []).score).toBe(0);
  });

  it('compares a gold that cannot be read as a label by its trimmed text', () => {
    const scores = scorePredictions(task({ kind: 'yes-no' }, 'accuracy'), [
      { prediction: 'unsure', gold: ' unsure ' },
    ]);
    expect(scores.correct).toEqual([true]);
  });
});
