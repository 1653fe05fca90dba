import type { AnswerKeyEntry, AnswerType } from '@metaspo/schemas';

/**
 * Synthetic tasks, one or two per domain and answer format, for tests and benchmarks that need an
 * answer key without the dataset registry: `count` questions per task, answers spread over the format.
 */
export interface SyntheticTask {
  taskId: string;
  domain: string;
  answerType: AnswerType;
}

export const SYNTHETIC_TASKS: SyntheticTask[] = [
  { taskId: 'anatomy', domain: 'medical', answerType: { kind: 'option', optionCount: 4 } },
  { taskId: 'surgery', domain: 'medical', answerType: { kind: 'option', optionCount: 4 } },
  { taskId: 'baby', domain: 'review', answerType: { kind: 'rating', min: 1, max: 5 } },
  { taskId: 'pet', domain: 'review', answerType: { kind: 'rating', min: 1, max: 5 } },
  { taskId: 'navigate', domain: 'reasoning', answerType: { kind: 'yes-no' } },
  { taskId: 'object_counting', domain: 'reasoning', answerType: { kind: 'integer' } },
  {
    taskId: 'ethos',
    domain: 'safety',
    answerType: { kind: 'label', labels: ['hate', 'not hate'] },
  },
  { taskId: 'natural_questions', domain: 'grounding', answerType: { kind: 'free-text' } },
  { taskId: 'date_arithmetic', domain: 'procedural', answerType: { kind: 'integer' } },
];

function goldFor(type: AnswerType, i: number): string {
  switch (type.kind) {
    case 'option':
      return 'ABCD'[i % 4]!;
    case 'integer':
      return String(3 + ((i * 7) % 40));
    case 'yes-no':
      return i % 2 === 0 ? 'yes' : 'no';
    case 'rating':
      return String(1 + (i % 5));
    case 'label':
      return type.labels[i % type.labels.length]!;
    case 'free-text':
      return `Answer Span ${i}`;
  }
}

export function syntheticEntries(task: SyntheticTask, count: number, offset = 0): AnswerKeyEntry[] {
  return Array.from({ length: count }, (_, k) => {
    const i = k + offset;
    return {
      taskId: task.taskId,
      domain: task.domain,
      answerType: task.answerType,
      question: `Synthetic ${task.taskId} question number ${i}: which answer fits the case described here?`,
      answer: goldFor(task.answerType, i),
    };
  });
}
