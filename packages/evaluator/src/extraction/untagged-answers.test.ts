import type { AnswerType } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { extractPrediction } from './extract.js';
import { normalizeAnswer, squadNormalize } from './normalize.js';

/** Lenient fallbacks for answers written without (or with broken) tags. */
const lenient = (response: string, answerType: AnswerType) =>
  extractPrediction(response, { answerType }, { scoring: 'lenient' }).prediction;
const FREE_TEXT: AnswerType = { kind: 'free-text' };
const OPTION: AnswerType = { kind: 'option', optionCount: 4 };
const RATING: AnswerType = { kind: 'rating', min: 1, max: 5 };
const INTEGER: AnswerType = { kind: 'integer' };
const YES_NO: AnswerType = { kind: 'yes-no' };

describe('free text after an answer cue', () => {
  it('takes the rest of the cue line, trimmed, whatever the spacing around "is" and ":"', () => {
    expect(lenient('The answer  is: Paris', FREE_TEXT)).toBe('Paris');
    expect(lenient('The answer is : Paris', FREE_TEXT)).toBe('Paris');
    expect(lenient('The answer is Paris', FREE_TEXT)).toBe('Paris');
    expect(lenient('Answer : Paris', FREE_TEXT)).toBe('Paris');
    expect(lenient('Answer:Paris', FREE_TEXT)).toBe('Paris');
    expect(lenient('Answer: Paris  \nbecause it is the capital', FREE_TEXT)).toBe('Paris');
  });
});

describe('broken tags', () => {
  it('reads the whole response around a closing tag that was never opened', () => {
    expect(lenient('(B)</answer> on reflection (C)', OPTION)).toBe('C');
    expect(lenient('Paris</answer> is my guess', FREE_TEXT)).toBe('Paris  is my guess');
  });

  it('keeps the last non-empty tag when an empty tag is opened after it and never closed', () => {
    expect(lenient('<answer>B</answer> then <answer>', OPTION)).toBe('B');
  });
});

describe('numbers', () => {
  it('reads each rating from 1 to 5 written as a digit inside prose', () => {
    for (const rating of ['1', '2', '3', '4', '5']) {
      expect(lenient(`I would give it ${rating}, all told.`, RATING), rating).toBe(rating);
    }
  });

  it('reads "out of" with any spacing as a scale, the first number being the rating', () => {
    expect(lenient('I give it 4 out  of 5', RATING)).toBe('4');
  });

  it('reads a number right after a scale as a later candidate, not as part of the scale', () => {
    expect(lenient('<answer>2/5 4</answer>', RATING)).toBe('4');
  });

  it('does not read a number too large for a float', () => {
    expect(lenient(`<answer>${'9'.repeat(400)}</answer>`, INTEGER)).toBeNull();
  });

  it('does not join a tens word with a following teen', () => {
    expect(lenient('<answer>twenty eleven</answer>', INTEGER)).toBe('11');
  });
});

describe('words split at punctuation', () => {
  it('reads a quoted or dash-joined opening synonym that is not a prose yes/no', () => {
    expect(lenient('"Correct"', YES_NO)).toBe('yes');
    expect(lenient('Correct—it matches the source', YES_NO)).toBe('yes');
  });
});

describe('normalisation', () => {
  it('replaces an article by a space as the official SQuAD script does, even between symbols', () => {
    expect(squadNormalize('“a”')).toBe('“ ”');
    expect(normalizeAnswer('éaé')).toBe('é é');
  });
});
