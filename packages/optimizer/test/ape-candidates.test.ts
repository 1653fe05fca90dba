import type { TaskSpec } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { answerSuffix, apeUserPrompt, instructionPart } from '../src/engine/candidates.js';

const SLOT = '<Question>{question}</Question>';
const occurrences = (text: string, part: string) => text.split(part).length - 1;

const task = (initialUserPrompt: string): TaskSpec => ({
  id: 't',
  domain: 'procedural',
  description: '',
  initialUserPrompt,
  answerType: { kind: 'integer' },
  answerFormat: 'tagged',
  metric: 'accuracy',
  importer: 'test',
  available: true,
});

describe('APE user prompts: instruction, then the task suffix', () => {
  const medical = task(
    'Given the following question and candidate answers, choose the best answer.' +
      '<Question>{question}</Question>\nAt the end present your answer in <answer> and </answer>.',
  );

  it("takes the suffix from the question wrapper on, as the reference's suffix_prompt", () => {
    expect(answerSuffix(medical)).toBe(
      '<Question>{question}</Question>\nAt the end present your answer in <answer> and </answer>.',
    );
    expect(answerSuffix(task('Solve it.\nQuestion: {question}\nAnswer in <answer>.'))).toBe(
      'Question: {question}\nAnswer in <answer>.',
    );
    expect(answerSuffix(task('{question}'))).toBe('{question}');
  });

  it('keeps only the instruction of a reply that wrote its own question slot', () => {
    expect(instructionPart('  Pick the best option.  ')).toBe('Pick the best option.');
    expect(instructionPart('Pick the best option.\n\n<question>\n{question}</question>\nFormat...')).toBe(
      'Pick the best option.',
    );
    expect(instructionPart('Count them.\nQuestion: {question}')).toBe('Count them.');
    expect(instructionPart('<Question>{question}</Question>')).toBe('');
  });

  it('builds a prompt with the wrapped question exactly once, whatever the reply holds', () => {
    for (const reply of ['Choose well.', `Choose well.\n${SLOT}\nAnswer: <answer>X</answer>`]) {
      const prompt = apeUserPrompt(reply, medical);
      expect(prompt).toBe(`Choose well.${answerSuffix(medical)}`);
      expect(occurrences(prompt, SLOT)).toBe(1);
      expect(occurrences(prompt, '{question}')).toBe(1);
    }
  });
});
