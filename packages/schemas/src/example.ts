import { z } from 'zod';
import { AnswerTypeSchema, DomainSchema, TaskIdSchema } from './task.js';

export const SplitSchema = z.enum(['train', 'test']);
export type Split = z.infer<typeof SplitSchema>;

export const ExampleSchema = z.object({
  id: z.string().min(1),
  taskId: TaskIdSchema,
  split: SplitSchema,
  /** The text substituted for `{question}` in the user prompt. */
  question: z.string(),
  /** Canonical gold answer: an option letter, an integer, "yes"/"no", a rating, a label or text. */
  answer: z.string(),
  /** Free-text tasks: every accepted answer (includes `answer`). */
  acceptedAnswers: z.array(z.string()).optional(),
  /** Option tasks: option texts in letter order, so a prediction given as text can be mapped. */
  options: z.array(z.string()).optional(),
});
export type Example = z.infer<typeof ExampleSchema>;

export const SampleRequestSchema = z.object({
  taskId: TaskIdSchema,
  split: SplitSchema,
  n: z.number().int().positive(),
  seed: z.number().int(),
});
export type SampleRequest = z.infer<typeof SampleRequestSchema>;

/** One gold answer with what the simulator needs to answer like a model of that task would. */
export const AnswerKeyEntrySchema = z.object({
  taskId: TaskIdSchema,
  domain: DomainSchema,
  answerType: AnswerTypeSchema,
  labelSpace: z.array(z.string()).optional(),
  question: z.string(),
  answer: z.string(),
  acceptedAnswers: z.array(z.string()).optional(),
  options: z.array(z.string()).optional(),
});
export type AnswerKeyEntry = z.infer<typeof AnswerKeyEntrySchema>;
