import {
  type AnswerType,
  DEFAULT_SCORING,
  type Example,
  type Extraction,
  type Scoring,
  type TaskSpec,
} from '@metaspo/schemas';
import { answerText } from './answer-text.js';
import { extractLabel, extractYesNo } from './choice.js';
import { analysedTail } from './limits.js';
import { extractInteger, extractRating } from './numbers.js';
import { extractOption } from './option.js';
import { lastAnswerTag, readStrictBare, readStrictTag } from './strict.js';

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

/** What extraction needs of a task; `answerFormat` defaults to 'tagged' as in the task schema. */
export type ExtractedTask = Pick<TaskSpec, 'answerType'> & Partial<Pick<TaskSpec, 'answerFormat'>>;

export interface ExtractOptions {
  /** 'strict' (the default) reads as the reference does; 'lenient' also reads untagged answers. */
  scoring?: Scoring;
  /** Lets a lenient reading recognise an option by its text. */
  example?: Pick<Example, 'options'> | undefined;
}

function readStrict(response: string, task: ExtractedTask): string | null {
  if (task.answerFormat === 'bare') return readStrictBare(response);
  const content = lastAnswerTag(analysedTail(response));
  return content === null ? null : readStrictTag(content, task.answerType);
}

/**
 * Reads a model response as a prediction of the task's answer type (see the README). A
 * response that cannot be read is an invalid prediction, `{prediction: null, valid: false}`:
 * in strict scoring a format failure (no answer tag, an empty one, no option letter in it).
 */
export function extractPrediction(
  response: string,
  task: ExtractedTask,
  options: ExtractOptions = {},
): Extraction {
  const prediction =
    (options.scoring ?? DEFAULT_SCORING) === 'strict'
      ? readStrict(response, task)
      : readAnswer(answerText(analysedTail(response)), task.answerType, options.example);
  return { prediction, valid: prediction !== null };
}
