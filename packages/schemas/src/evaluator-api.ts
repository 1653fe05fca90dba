import { z } from 'zod';
import { EvaluationItemSchema, EvaluationRequestSchema, EvaluationResultSchema } from './evaluation.js';
import { ScoringSchema } from './scoring.js';
import { MetricSchema, TaskIdSchema } from './task.js';

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

export const OutcomesInputSchema = z.object({ evaluationId: z.string().min(1) });
export type OutcomesInput = z.infer<typeof OutcomesInputSchema>;

/**
 * One item of an evaluation, as a race reads it: right or wrong, and whether its model call
 * failed (a failed item is wrong, as in the evaluation's score). No texts, so a race over a large
 * sample reads a few bytes per item.
 */
export const ItemOutcomeSchema = z.object({
  exampleId: z.string(),
  correct: z.boolean(),
  failed: z.boolean(),
});
export type ItemOutcome = z.infer<typeof ItemOutcomeSchema>;

export const ExtractInputSchema = z.object({
  taskId: TaskIdSchema,
  response: z.string().max(1_000_000),
  scoring: ScoringSchema.default('strict'),
});
export type ExtractInput = z.input<typeof ExtractInputSchema>;

/** A response produced elsewhere, matched to its example by id or by its exact question. */
export const ResponseToScoreSchema = z
  .object({
    id: z.string().min(1).optional(),
    question: z.string().min(1).optional(),
    response: z.string().max(1_000_000),
  })
  .refine((r) => (r.id === undefined) !== (r.question === undefined), {
    message: 'give exactly one of "id" and "question"',
  });
export type ResponseToScore = z.infer<typeof ResponseToScoreSchema>;

export const ScoreResponsesInputSchema = z.object({
  taskId: TaskIdSchema,
  scoring: ScoringSchema.default('strict'),
  responses: z.array(ResponseToScoreSchema).min(1).max(20_000),
});
export type ScoreResponsesInput = z.input<typeof ScoreResponsesInputSchema>;

/** The task's metric over the given responses, and each one's reading, in input order. */
export const ScoreResponsesResultSchema = z.object({
  taskId: TaskIdSchema,
  scoring: ScoringSchema,
  metric: MetricSchema,
  score: z.number().min(0).max(1),
  correct: z.number().int().nonnegative(),
  n: z.number().int().nonnegative(),
  formatFailures: z.number().int().nonnegative(),
  items: z.array(EvaluationItemSchema.omit({ error: true })),
});
export type ScoreResponsesResult = z.infer<typeof ScoreResponsesResultSchema>;
