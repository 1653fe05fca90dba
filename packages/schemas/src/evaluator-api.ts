import { z } from 'zod';
import { EvaluationRequestSchema, EvaluationResultSchema } from './evaluation.js';
import { TaskIdSchema } from './task.js';

/** Inputs and outputs of the evaluator router beyond the shared evaluation schemas. */
export const EvaluateManyInputSchema = z.object({
  requests: z.array(EvaluationRequestSchema).max(1_000),
});
export type EvaluateManyInput = z.input<typeof EvaluateManyInputSchema>;

export const EvaluationIdInputSchema = z.object({ id: z.string().min(1) });

export const EvaluationListInputSchema = z.object({
  taskId: TaskIdSchema.optional(),
  runId: z.string().optional(),
  limit: z.number().int().positive().max(500).default(50),
  offset: z.number().int().nonnegative().default(0),
});
export type EvaluationListInput = z.input<typeof EvaluationListInputSchema>;

/** An evaluation without its items, as `list` returns it. */
export const EvaluationSummarySchema = EvaluationResultSchema.omit({ items: true });
export type EvaluationSummary = z.infer<typeof EvaluationSummarySchema>;

export const WrongExamplesInputSchema = z.object({
  evaluationId: z.string().min(1),
  k: z.number().int().nonnegative().max(1_000),
  seed: z.number().int(),
});
export type WrongExamplesInput = z.infer<typeof WrongExamplesInputSchema>;

export const ExtractInputSchema = z.object({
  taskId: TaskIdSchema,
  response: z.string().max(1_000_000),
});
export type ExtractInput = z.infer<typeof ExtractInputSchema>;
