import type { AnswerType } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { extractPrediction } from './extract.js';

/** Strict reading of the last tag's content, per answer type, as the reference's tasks read it. */
const strict = (response: string, answerType: AnswerType) =>
  extractPrediction(response, { answerType, answerFormat: 'tagged' }, { scoring: 'strict' });

describe('strict integers', () => {
  it("turns every word of bigbench.py's table, one to twenty-one, into its digits", () => {
    const words = [
      'one',
      'two',
      'three',
      'four',
      'five',
      'six',
      'seven',
      'eight',
      'nine',
      'ten',
      'eleven',
      'twelve',
      'thirteen',
      'fourteen',
      'fifteen',
      'sixteen',
      'seventeen',
      'eighteen',
      'nineteen',
      'twenty',
      'twenty-one',
    ];
    words.forEach((word, i) => {
      expect(strict(`<answer>${word}</answer>`, { kind: 'integer' }).prediction, word).toBe(String(i + 1));
    });
    expect(strict('<answer>twenty-two</answer>', { kind: 'integer' }).prediction).toBe('twenty-two');
  });
});

describe('a blank tag', () => {
  it('is a format failure for every answer type, not an empty prediction', () => {
    const types: AnswerType[] = [
      { kind: 'integer' },
      { kind: 'yes-no' },
      { kind: 'free-text' },
      { kind: 'label', labels: ['positive', 'negative'] },
      { kind: 'rating', min: 1, max: 5 },
      { kind: 'option', optionCount: 4 },
    ];
    for (const answerType of types) {
      expect(strict('<answer> \n </answer>', answerType), answerType.kind).toEqual({
        prediction: null,
        valid: false,
      });
    }
  });
});

describe('strict labels', () => {
  it('returns the label as the task spells it, whatever the case and spaces in the tag', () => {
    const answerType: AnswerType = { kind: 'label', labels: ['Offensive', ' Not Offensive'] };
    expect(strict('<answer>not offensive</answer>', answerType).prediction).toBe(' Not Offensive');
    expect(strict('<answer>  OFFENSIVE </answer>', answerType).prediction).toBe('Offensive');
    expect(strict('<answer> Hateful </answer>', answerType).prediction).toBe('hateful');
  });
});
