import type { AnswerKeyEntry } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { createAnswerKey } from '../src/index.js';

const entry = (question: string, answer: string, taskId = 'task'): AnswerKeyEntry => ({
  taskId,
  domain: 'reasoning',
  answerType: { kind: 'yes-no' },
  question,
  answer,
});

const key = createAnswerKey([
  entry('Is the sky   blue on a clear day at noon?', 'yes'),
  entry('Is the sky blue on a clear day at noon? Answer for Mars.', 'no'),
  entry('Is 7 even?', 'no'),
  entry('Is the sky blue on a clear day at noon?', 'no', 'duplicate'),
]);

describe('answer key', () => {
  it('finds a question by its text, normalising case and whitespace; the first duplicate wins', () => {
    expect(key.size()).toBe(3);
    expect(key.lookup('is the sky blue on a clear day at noon?')?.answer).toBe('yes');
    expect(key.lookup('is the sky blue on a clear day at noon?')?.taskId).toBe('task');
  });

  it('finds the question wrapped in <Question> inside a full user prompt', () => {
    const prompt = 'Answer carefully.\n<Question>Is 7 even?</Question>\nReply inside <answer></answer>.';
    expect(key.lookup(prompt)?.question).toBe('Is 7 even?');
  });

  it('finds an unwrapped question inside a message, preferring the longest match', () => {
    expect(key.lookup('Question: Is the sky blue on a clear day at noon?\nAnswer:')?.answer).toBe('yes');
    expect(key.lookup('Q: Is the sky blue on a clear day at noon? Answer for Mars. A:')?.answer).toBe('no');
    expect(key.lookup('Here: is 7 even? Think.')?.question).toBe('Is 7 even?');
    expect(key.lookup('This is 7 evenly spread.')).toBeUndefined();
    expect(key.lookup('<Question>Something else entirely</Question>')).toBeUndefined();
  });
});
