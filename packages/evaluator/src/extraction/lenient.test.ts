import type { AnswerType } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { answerText } from './answer-text.js';
import { extractPrediction } from './extract.js';

const task = (answerType: AnswerType) => ({ answerType });
const OPTION = task({ kind: 'option', optionCount: 4 });
const INTEGER = task({ kind: 'integer' });
const YES_NO = task({ kind: 'yes-no' });
const RATING = task({ kind: 'rating', min: 1, max: 5 });
const LABEL = task({ kind: 'label', labels: ['offensive', 'not offensive'] });
const SENTIMENT = task({ kind: 'label', labels: ['positive', 'negative', 'neutral'] });
const FREE_TEXT = task({ kind: 'free-text' });

type Case = [response: string, prediction: string | null];

// These tables are the lenient reading (today's behaviour); strict.test.ts has the strict one.
const LENIENT = { scoring: 'lenient' } as const;

function expectReadings(taskUnderTest: { answerType: AnswerType }, cases: Case[]) {
  for (const [response, prediction] of cases) {
    expect(extractPrediction(response, taskUnderTest, LENIENT), JSON.stringify(response)).toEqual({
      prediction,
      valid: prediction !== null,
    });
  }
}

describe('answer tags', () => {
  it('takes the last non-empty tag, case-insensitively and with whitespace inside the brackets', () => {
    expect(answerText('<answer>A</answer> on reflection <answer>C</answer>')).toBe('C');
    expect(answerText('<answer>B</answer> then <answer>  </answer>')).toBe('B');
    expect(answerText('<ANSWER>b</Answer>')).toBe('b');
    expect(answerText('< answer > D </ answer >')).toBe('D');
    expect(answerText('reasoning... <answer>\n  42\n</answer>\n')).toBe('42');
  });

  it('reads an unclosed last tag to the end and falls back to the whole response', () => {
    expect(answerText('<answer>A</answer> wait, <answer>B')).toBe('B');
    expect(answerText('The answer is B.')).toBe('The answer is B.');
    expect(answerText('<answer></answer> I pick C')).toBe('I pick C');
  });
});

describe('option answers', () => {
  it('reads every letter form', () => {
    expectReadings(OPTION, [
      ['<answer>(B)</answer>', 'B'],
      ['<answer>B</answer>', 'B'],
      ['<answer>B.</answer>', 'B'],
      ['<answer>b)</answer>', 'B'],
      ['<answer>b</answer>', 'B'],
      ['<answer>Option C</answer>', 'C'],
      ['<answer>**D**</answer>', 'D'],
      ['The answer is (C).', 'C'],
      ['Answer: d', 'D'],
      ['Answer: a bit of both', null],
      ['(a) is tempting but (c) fits better.', 'C'],
    ]);
  });

  it('does not read letters inside words, articles or pronouns', () => {
    expectReadings(OPTION, [
      ['<answer>Both are plausible</answer>', null],
      ['<answer>A cat sat on the mat</answer>', null],
      ['I think it is B.', 'B'],
      ['A is correct.', 'A'],
      ['B-cell lymphoma is a cancer; I would pick D', 'D'],
      ['Vitamin B12 deficiency', null],
      ["It's Dave's car", null],
    ]);
  });

  it('ignores letters beyond the last option and honours an answer cue over later letters', () => {
    expectReadings(OPTION, [
      ['<answer>E</answer>', null],
      ['The answer is B. Options C and D are wrong.', 'B'],
      ['<answer>(B)</answer> first thought\n<answer>(D)</answer>', 'D'],
    ]);
  });

  it('maps the text of an option to its letter when only the text is given', () => {
    const example = { options: ['Paris', 'Lyon', 'New York', 'York'] };
    const read = (response: string) =>
      extractPrediction(response, OPTION, { ...LENIENT, example }).prediction;
    expect(read('<answer>Lyon</answer>')).toBe('B');
    expect(read('<answer>paris.</answer>')).toBe('A');
    expect(read('It is clearly New York.')).toBe('C');
    expect(read('<answer>York</answer>')).toBe('D');
    expect(read('<answer>Berlin</answer>')).toBeNull();
  });
});

describe('integer answers', () => {
  it('reads digits, separators, signs and number words up to ninety-nine', () => {
    expectReadings(INTEGER, [
      ['<answer>42</answer>', '42'],
      ['<answer>1,024</answer>', '1024'],
      ['<answer>-3</answer>', '-3'],
      ['<answer>7.0</answer>', '7'],
      ['<answer>twelve</answer>', '12'],
      ['<answer>Twenty-one</answer>', '21'],
      ['<answer>twenty one</answer>', '21'],
      ['<answer>ninety-nine</answer>', '99'],
      ['<answer>zero</answer>', '0'],
      ['<answer>2.5</answer>', '2.5'],
      ['<answer>none</answer>', null],
    ]);
  });

  it('reads numbers inside prose: the cued one, else the last one', () => {
    expectReadings(INTEGER, [
      ['I have 3 apples and 2 pears, so 5 fruits in total.', '5'],
      ['The answer is 5, since 2 + 3 = 5 and not 6.', '5'],
      ['Answer: seven (I counted 3 red and 4 blue).', '7'],
      ['There are x2 items in stock A1', null],
      ['<answer>There are four objects</answer>', '4'],
    ]);
  });
});

describe('yes-no answers', () => {
  it('reads synonyms in any case', () => {
    expectReadings(YES_NO, [
      ['<answer>Yes</answer>', 'yes'],
      ['<answer>NO</answer>', 'no'],
      ['<answer>True</answer>', 'yes'],
      ['<answer>false.</answer>', 'no'],
      ['<answer>correct</answer>', 'yes'],
      ['<answer>Incorrect</answer>', 'no'],
      ['<answer>Nope</answer>', 'no'],
      ['<answer>maybe</answer>', null],
    ]);
  });

  it('prefers a cue, then the opening word, then the last yes/no in the prose', () => {
    expectReadings(YES_NO, [
      ['No doubt about it: the answer is yes.', 'yes'],
      ['No, because the statement contradicts the source.', 'no'],
      ['Looking at it carefully, I would say yes.', 'yes'],
      ['The statement is not obviously wrong', null],
      ['Knowledge is power; yesterday nothing happened', null],
    ]);
  });
});

describe('rating answers', () => {
  it('reads 1 to 5 as digits, words, scales and stars', () => {
    expectReadings(RATING, [
      ['<answer>4</answer>', '4'],
      ['<answer>five</answer>', '5'],
      ['<answer>3/5</answer>', '3'],
      ['I would give it 2 out of 5 stars.', '2'],
      ['<answer>★★★★</answer>', '4'],
      ['Rating: 1. Terrible product, broke after 7 days.', '1'],
      ['<answer>7</answer>', null],
      ['<answer>0</answer>', null],
    ]);
  });
});

describe('label answers', () => {
  it('returns the label as the task spells it, longest label first', () => {
    expectReadings(LABEL, [
      ['<answer>Offensive</answer>', 'offensive'],
      ['<answer>not offensive</answer>', 'not offensive'],
      ['<answer>Not-Offensive.</answer>', 'not offensive'],
      ['This tweet is not offensive.', 'not offensive'],
      ['<answer>inoffensive</answer>', null],
    ]);
    expectReadings(SENTIMENT, [
      ['The first half sounds negative, but overall it is positive.', 'positive'],
      ['Sentiment label: neutral (no strong positive words)', 'neutral'],
      ['<answer>mixed</answer>', null],
    ]);
  });
});

describe('free-text answers', () => {
  it('keeps the answer text, or the line after the last answer cue', () => {
    expectReadings(FREE_TEXT, [
      ['<answer>Barack Obama</answer>', 'Barack Obama'],
      ['The answer is: the Eiffel Tower', 'the Eiffel Tower'],
      ['Let me think.\nAnswer: Paris\nIt is the capital.', 'Paris'],
      ['Final answer: 1969', '1969'],
      ['<answer>  </answer>', null],
      ['', null],
    ]);
  });
});
