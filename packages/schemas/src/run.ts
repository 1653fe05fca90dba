import { z } from 'zod';
import { NodePhaseSchema } from './node.js';
import { RunConfigSchema } from './run-config.js';

export const RunStatusSchema = z.enum([
  'created',
  'running',
  'paused',
  'cancelled',
  'budget-exceeded',
  'completed',
  'failed',
  /** Stored as running, but no process holds its lease: its owner died or hung. */
  'interrupted',
]);
export type RunStatus = z.infer<typeof RunStatusSchema>;

/** Statuses from which `resume` continues the run where its store says it stopped. */
export const RESUMABLE_STATUSES: readonly RunStatus[] = [
  'created',
  'paused',
  'cancelled',
  'budget-exceeded',
  'failed',
  'interrupted',
];

/**
 * What a run asked of the gateway (docs/numbers.md). A *request* is what the algorithm asks
 * for: one per evaluated example (`baseTrain`, `baseTest`) and one per optimizer prompt
 * (`optimizer`); their sum is what the call-count formula predicts. A *call* is one answer the
 * gateway gave for the run: the requests plus `optimizerRetries` (malformed replies asked
 * again). `cached` of those calls were replayed from the response cache (free). Provider
 * attempts behind a call (transient-error retries) are the gateway ledger's business.
 */
export const RunCallsSchema = z.object({
  baseTrain: z.number().int().nonnegative(),
  baseTest: z.number().int().nonnegative(),
  optimizer: z.number().int().nonnegative(),
  optimizerRetries: z.number().int().nonnegative(),
  cached: z.number().int().nonnegative(),
  /**
   * Evaluated items whose call failed and that the run tolerated (`maxFailedItemShare`); they
   * count as wrong answers in the scores. Absent on runs recorded before the field existed.
   */
  failedItems: z.number().int().nonnegative().optional(),
});
export type RunCalls = z.infer<typeof RunCallsSchema>;

/**
 * The calls of the nodes one phase created (a kept node's test calls count in the phase that
 * created it): where a run's requests went, e.g. the outer loops' share.
 */
export const PhaseCallsSchema = RunCallsSchema.omit({ failedItems: true }).extend({ phase: NodePhaseSchema });
export type PhaseCalls = z.infer<typeof PhaseCallsSchema>;

export const RunProgressSchema = z.object({
  phase: z.string(),
  iteration: z.number().int().nonnegative(),
  taskId: z.string().nullable(),
  requestsDone: z.number().int().nonnegative(),
  requestsTotal: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative().nullable(),
});
export type RunProgress = z.infer<typeof RunProgressSchema>;

export const RunResultSchema = z.object({
  optimizedSystemPrompt: z.string(),
  scores: z.object({
    initial: z.number().min(0).max(1),
    final: z.number().min(0).max(1),
    test: z.number().min(0).max(1).nullable(),
  }),
  calls: RunCallsSchema,
  costUsd: z.number().nonnegative().nullable(),
});
export type RunResult = z.infer<typeof RunResultSchema>;

/** Which meta-prompt set a run uses (docs/meta-prompts.md). */
export const MetaPromptsInfoSchema = z.object({
  name: z.string(),
  version: z.string(),
  /** sha256 of the set's content; cache keys and stored user prompts depend on it. */
  hash: z.string(),
  /** `builtin`, or the path the client read the set from. */
  source: z.string(),
});
export type MetaPromptsInfo = z.infer<typeof MetaPromptsInfoSchema>;

export const RunRecordSchema = z.object({
  id: z.string(),
  name: z.string().nullable(),
  status: RunStatusSchema,
  config: RunConfigSchema,
  metaPrompts: MetaPromptsInfoSchema,
  /** True when the base model is the simulator: its scores are simulated, not measured. */
  simulated: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  progress: RunProgressSchema.nullable(),
  result: RunResultSchema.nullable(),
});
export type RunRecord = z.infer<typeof RunRecordSchema>;
