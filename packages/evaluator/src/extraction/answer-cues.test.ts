import type { AnswerType } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { extractPrediction } from './extract.js';

/** Lenient readings that depend on answer cues, on nested candidates and on synonym lists. */
const lenient = (response: string, answerType: AnswerType) =>
  extractPrediction(response, { answerType }, { scoring: 'lenient' }).prediction;
const OPTION: AnswerType = { kind: 'option', optionCount: 4 };
const YES_NO: AnswerType = { kind: 'yes-no' };
const labels = (...names: string[]): AnswerType => ({ kind: 'label', labels: names });

describe('an answer cue', () => {
  it('points at the first candidate after it, not at one just before it', () => {
    expect(lenient('I doubt (B). The answer is (C), surely not (A)', OPTION)).toBe('C');
  });

  it('ends at its colon, so a candidate written right after the colon is the one it points at', () => {
    expect(lenient('Answer:(B) though (C) is tempting', OPTION)).toBe('B');
  });

  it('only counts on its own line; without a candidate there the last one wins', () => {
    expect(lenient('Answer: unsure\nI weighed (B) and finally (C).', OPTION)).toBe('C');
    expect(
      lenient('Rating: unclear\nthe text says positive, then negative', labels('positive', 'negative')),
    ).toBe('negative');
  });
});

describe('candidates inside longer ones', () => {
  it('keeps the longer of two labels starting at the same word, in either label order', () => {
    for (const order of [
      ['positive', 'positive overall'],
      ['positive overall', 'positive'],
    ]) {
      expect(lenient('Label: positive overall, I think', labels(...order)), order.join()).toBe(
        'positive overall',
      );
      expect(lenient('It reads as positive overall', labels(...order)), order.join()).toBe(
        'positive overall',
      );
    }
  });

  it('never matches a label that has no letters or digits', () => {
    expect(lenient('It is positive :)', labels('positive', 'negative', ':)'))).toBe('positive');
  });
});

describe('label matchers', () => {
  it('keeps label sets apart even when their labels run together into the same text', () => {
    expect(lenient('this looks like spam to me', labels('ham', 'spam'))).toBe('spam');
    expect(lenient('the label is pam here', labels('hams', 'pam'))).toBe('pam');
  });

  it('matches a whole answer equal to a label once punctuation is dropped', () => {
    expect(lenient('<answer>dont know</answer>', labels('yes', 'no', "don't know"))).toBe("don't know");
  });
});

describe('yes-no synonyms', () => {
  it('reads every synonym as a whole answer', () => {
    const yes = ['yes', 'y', 'yeah', 'yep', 'yup', 'true', 'correct', 'right', 'affirmative', 'agree'];
    const no = ['no', 'n', 'nope', 'false', 'incorrect', 'wrong', 'negative', 'disagree', 'not'];
    for (const word of yes) expect(lenient(`<answer>${word}</answer>`, YES_NO), word).toBe('yes');
    for (const word of no) expect(lenient(`<answer>${word}</answer>`, YES_NO), word).toBe('no');
  });

  it('takes an opening synonym over a later prose word', () => {
    expect(lenient('Correct, it is not false.', YES_NO)).toBe('yes');
    expect(lenient('Wrong: that is true only of cats.', YES_NO)).toBe('no');
  });
});
