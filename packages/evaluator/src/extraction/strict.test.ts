import type { AnswerType } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { type ExtractedTask, extractPrediction } from './extract.js';
import { MAX_ANALYSED_CHARS } from './limits.js';
import { lastAnswerTag } from './strict.js';

const tagged = (answerType: AnswerType): ExtractedTask => ({ answerType, answerFormat: 'tagged' });
const OPTION = tagged({ kind: 'option', optionCount: 4 });
const RATING = tagged({ kind: 'rating', min: 1, max: 5 });
const INTEGER = tagged({ kind: 'integer' });
const YES_NO = tagged({ kind: 'yes-no' });
const LABEL = tagged({ kind: 'label', labels: ['offensive', 'not offensive'] });
const FREE_TEXT = tagged({ kind: 'free-text' });
const BARE: ExtractedTask = { answerType: { kind: 'free-text' }, answerFormat: 'bare' };

type Case = [response: string, prediction: string | null];

function expectStrict(task: ExtractedTask, cases: Case[]) {
  for (const [response, prediction] of cases) {
    expect(extractPrediction(response, task, { scoring: 'strict' }), JSON.stringify(response)).toEqual({
      prediction,
      valid: prediction !== null,
    });
  }
}

describe('the last answer tag, as the reference finds it', () => {
  it('takes the last tag even when it is empty, tags in any case but without inner spaces', () => {
    expect(lastAnswerTag('<answer>A</answer> then <answer>C</answer>')).toBe('C');
    expect(lastAnswerTag('<answer>B</answer> then <answer>  </answer>')).toBe('  ');
    expect(lastAnswerTag('<ANSWER>b</Answer>')).toBe('b');
    expect(lastAnswerTag('< answer >D</ answer >')).toBeNull();
    expect(lastAnswerTag('The answer is B.')).toBeNull();
  });

  it('closes a tag at the first closing tag and ignores an opening tag never closed', () => {
    // re.findall(r"<answer>([\s\S]*?)</answer>") gives ["a<answer>b"] for the first one.
    expect(lastAnswerTag('<answer>A<answer>B</answer>')).toBe('A<answer>B');
    expect(lastAnswerTag('<answer>A</answer> wait, <answer>B')).toBe('A');
    expect(lastAnswerTag('<answer>B')).toBeNull();
  });
});

describe('strict option answers (medmcqa.py, bigbench.py)', () => {
  it('reads (X) first, else the first letter within the options, inside words too', () => {
    expectStrict(OPTION, [
      ['<answer>C</answer>', 'C'],
      ['<answer>(C)</answer>', 'C'],
      ['<answer>c) Tachycardia</answer>', 'C'],
      ['<answer>Tachycardia (d)</answer>', 'D'],
      // The reference's quirks, kept: the first in-range letter of any word counts.
      ['<answer>Bradycardia</answer>', 'B'],
      ['<answer>The answer is D</answer>', 'A'],
      ['<answer>(E) or b</answer>', 'B'],
      ['<answer>A<answer>B</answer>', 'A'],
    ]);
  });

  it('is a format failure without a tag, with an empty last tag or with no letter in range', () => {
    expectStrict(OPTION, [
      ["I think it's B.", null],
      ['<answer>B</answer> on reflection <answer> </answer>', null],
      ['<answer>E</answer>', null],
      ['<answer>xyz</answer>', null],
      ['<answer>B', null],
    ]);
  });
});

describe('strict ratings (amazon.py)', () => {
  it('reads the first integer of the tag, in range or not', () => {
    expectStrict(RATING, [
      ['<answer>4</answer>', '4'],
      ['<answer>3/5</answer>', '3'],
      ['<answer>4.5 stars</answer>', '4'],
      ['<answer>05</answer>', '5'],
      ['<answer>10</answer>', '10'],
      ['<answer>five</answer>', null],
      ['Rating: 4', null],
    ]);
  });
});

describe('strict integers (bigbench.py object counting)', () => {
  it('keeps the text, turning the reference number words into digits', () => {
    expectStrict(INTEGER, [
      ['<answer>7</answer>', '7'],
      ['<answer> Seven </answer>', '7'],
      ['<answer>twenty-one</answer>', '21'],
      ['<answer>twenty one</answer>', 'twenty one'],
      ['<answer>zero</answer>', 'zero'],
      ['<answer>7 apples</answer>', '7 apples'],
      ['7', null],
    ]);
  });
});

describe('strict yes/no and labels (safety.py)', () => {
  it('keeps the lowercased text of the tag, in the label space or not', () => {
    expectStrict(YES_NO, [
      ['<answer>Yes</answer>', 'yes'],
      ['<answer> NO </answer>', 'no'],
      ['<answer>yes.</answer>', 'yes.'],
      ['<answer>True</answer>', 'true'],
      ['Yes', null],
    ]);
    expectStrict(LABEL, [
      ['<answer>Not Offensive</answer>', 'not offensive'],
      ['<answer>offensive.</answer>', 'offensive.'],
    ]);
  });
});

describe('strict free text', () => {
  it('reads the tag of a tagged task and the whole response of a bare one', () => {
    expectStrict(FREE_TEXT, [
      ['<answer> Barack Obama </answer>', 'Barack Obama'],
      ['The answer is: Paris', null],
    ]);
    expectStrict(BARE, [
      ['The Eiffel Tower.', 'The Eiffel Tower.'],
      ['<answer>Paris</answer>', '<answer>Paris</answer>'],
      ['   ', null],
    ]);
  });
});

describe('scoring mode', () => {
  it('is strict by default; lenient still reads an untagged answer', () => {
    expect(extractPrediction("I think it's B.", OPTION)).toEqual({ prediction: null, valid: false });
    expect(extractPrediction("I think it's B.", OPTION, { scoring: 'lenient' })).toEqual({
      prediction: 'B',
      valid: true,
    });
  });

  it('reads tags only within the analysed tail of a long response', () => {
    const filler = 'x'.repeat(MAX_ANALYSED_CHARS + 10);
    expect(extractPrediction(`<answer>B</answer>${filler}`, OPTION).prediction).toBeNull();
    expect(extractPrediction(`${filler}<answer>B</answer>`, OPTION).prediction).toBe('B');
  });
});

describe('linear-time extraction', () => {
  const SIZE = 200_000;
  const adversarial: Record<string, string> = {
    whitespace: ' '.repeat(SIZE),
    'whitespace then a letter': `${' '.repeat(SIZE)}x`,
    'an open bracket then whitespace': `<${' '.repeat(SIZE)}x`,
    'a closing bracket then whitespace': `</${' '.repeat(SIZE)}x`,
    'unclosed tags': '<answer>'.repeat(SIZE / 8),
    'an unclosed tag then whitespace': `<answer>${' '.repeat(SIZE)}x`,
    'closing tags': '</answer>'.repeat(SIZE / 9),
    'a cue then whitespace': `final answer${' '.repeat(SIZE)}x`,
    'decoration then a letter': `B${' .'.repeat(SIZE / 2)}x`,
  };
  const tasks = [OPTION, RATING, INTEGER, YES_NO, LABEL, FREE_TEXT, BARE];

  it('reads 200k characters of whitespace or unclosed tags well within 50 ms', () => {
    for (const [name, response] of Object.entries(adversarial)) {
      for (const task of tasks) {
        for (const scoring of ['strict', 'lenient'] as const) {
          const started = performance.now();
          extractPrediction(response, task, { scoring });
          const elapsed = performance.now() - started;
          expect(
            elapsed,
            `${name}, ${task.answerType.kind}, ${scoring}: ${elapsed.toFixed(1)} ms`,
          ).toBeLessThan(50);
        }
      }
    }
  });
});
