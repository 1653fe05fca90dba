import type { AnswerType, Example, Extraction, TaskSpec } from '@metaspo/schemas';
import { answerText } from './answer-text.js';
import { extractLabel, extractYesNo } from './choice.js';
import { extractInteger, extractRating } from './numbers.js';
import { extractOption } from './option.js';

/** "The answer is", "Final answer:" before a free-text answer are not part of it. */
const FREE_TEXT_CUE = /\banswer(?:\s+is\s*[:=]?|\s*[:=])[^\S\n]*/gi;

/** The line after the last answer cue ("...reasoning\nAnswer: Paris"), else the whole text. */
function freeTextAnswer(text: string): string | null {
  const cue = [...text.matchAll(FREE_TEXT_CUE)].at(-1);
  const afterCue = cue
    ? text
        .slice(cue.index + cue[0].length)
        .split('\n')[0]!
        .trim()
    : '';
  const answer = afterCue === '' ? text.trim() : afterCue;
  return answer === '' ? null : answer;
}

function readAnswer(text: string, answerType: AnswerType, example?: Pick<Example, 'options'>): string | null {
  switch (answerType.kind) {
    case 'option':
      return extractOption(text, answerType.optionCount, example?.options);
    case 'integer':
      return extractInteger(text);
    case 'yes-no':
      return extractYesNo(text);
    case 'rating':
      return extractRating(text);
    case 'label':
      return extractLabel(text, answerType.labels);
    case 'free-text':
      return freeTextAnswer(text);
  }
}

/**
 * Reads a model response as a prediction of the task's answer type (see the README's table).
 * A response that cannot be read is an invalid prediction: `{prediction: null, valid: false}`.
 * Passing the example lets an option be recognised by its text.
 */
export function extractPrediction(
  response: string,
  task: Pick<TaskSpec, 'answerType'>,
  example?: Pick<Example, 'options'>,
): Extraction {
  const prediction = readAnswer(answerText(response), task.answerType, example);
  return { prediction, valid: prediction !== null };
}
