import { z } from 'zod';
import { ExecutionModeSchema } from './completion.js';
import { SplitSchema } from './example.js';
import { ModelRefSchema } from './model-ref.js';
import { ScoringSchema } from './scoring.js';
import { MetricSchema, TaskIdSchema } from './task.js';
import { TokenUsageSchema } from './usage.js';

export const SystemPlacementSchema = z.enum(['system', 'user-prefix']);
export type SystemPlacement = z.infer<typeof SystemPlacementSchema>;

export const EvaluationRequestSchema = z.object({
  systemPrompt: z.string(),
  /** Checked by the evaluator (400-class error) rather than here, so the message names the pair. */
  userPrompt: z.string(),
  taskId: TaskIdSchema,
  split: SplitSchema.default('test'),
  n: z.number().int().positive().default(100),
  seed: z.number().int().default(42),
  model: ModelRefSchema,
  temperature: z.number().min(0).max(2).default(0),
  runId: z.string().optional(),
  sampleIndex: z.number().int().nonnegative().default(0),
  systemPlacement: SystemPlacementSchema.default('system'),
  scoring: ScoringSchema.default('strict'),
  /** Completion-token cap of each base-model call; absent, the provider's own limit applies. */
  maxTokens: z.number().int().positive().optional(),
  /**
   * false returns the result with `items: []` (score, counts and id only) while every item is
   * still stored, so `get` and `wrongExamples` work: for callers that evaluate thousands of
   * pairs and only read scores, which spares building and serialising the items.
   */
  includeItems: z.boolean().default(true),
  /**
   * How the pair's base-model calls reach the provider (the gateway's `execution`): `batch` for
   * the wide phases of a run configured so; the scores do not depend on it.
   */
  execution: ExecutionModeSchema.optional(),
});
export type EvaluationRequest = z.infer<typeof EvaluationRequestSchema>;
export type EvaluationRequestInput = z.input<typeof EvaluationRequestSchema>;

export const EvaluationItemSchema = z.object({
  exampleId: z.string(),
  question: z.string(),
  gold: z.string(),
  response: z.string(),
  /** null when the response could not be read (an invalid prediction, counted wrong). */
  prediction: z.string().nullable(),
  valid: z.boolean(),
  correct: z.boolean(),
  /** Set when the model call itself failed for this item. */
  error: z.string().optional(),
});
export type EvaluationItem = z.infer<typeof EvaluationItemSchema>;

export const EvaluationResultSchema = z.object({
  id: z.string(),
  taskId: TaskIdSchema,
  split: SplitSchema,
  model: ModelRefSchema,
  metric: MetricSchema,
  score: z.number().min(0).max(1),
  correct: z.number().int().nonnegative(),
  n: z.number().int().nonnegative(),
  usage: TokenUsageSchema,
  calls: z.number().int().nonnegative(),
  cachedCalls: z.number().int().nonnegative(),
  systemPrompt: z.string(),
  userPrompt: z.string(),
  runId: z.string().optional(),
  /** How the responses were read (see `ScoringSchema`). */
  scoring: ScoringSchema,
  /** Items whose response held no readable answer (`valid: false` without a call error). */
  formatFailures: z.number().int().nonnegative(),
  /**
   * Items whose model call failed after the gateway's retries (each has `error`; it is counted
   * wrong in `score`). Absent on evaluations stored before the field existed.
   */
  failedItems: z.number().int().nonnegative().optional(),
  /** The first failed item's error (`kind: message`), so a caller can say why without the items. */
  failedItemError: z.string().optional(),
  createdAt: z.string(),
  items: z.array(EvaluationItemSchema),
});
export type EvaluationResult = z.infer<typeof EvaluationResultSchema>;

export const WrongExampleSchema = z.object({
  exampleId: z.string(),
  question: z.string(),
  /** The full user message sent to the model. */
  prompt: z.string(),
  response: z.string(),
  prediction: z.string().nullable(),
  gold: z.string(),
});
export type WrongExample = z.infer<typeof WrongExampleSchema>;

export const ExtractionSchema = z.object({
  prediction: z.string().nullable(),
  valid: z.boolean(),
});
export type Extraction = z.infer<typeof ExtractionSchema>;
