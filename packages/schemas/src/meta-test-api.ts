import { z } from 'zod';
import { ExecutionModeSchema } from './completion.js';
import { ModelRefSchema } from './model-ref.js';
import { UserPromptOriginSchema } from './protocol-assets.js';
import { BudgetSchema, CandidateSelectionSchema, TaskSelectionSchema } from './run-config.js';
import { ScoringSchema } from './scoring.js';
import { TaskIdSchema } from './task.js';

/** Inputs and outputs of the optimizer router's `metaTests.*` procedures, and their results. */

export const MetaTestKindSchema = z.enum(['unseen', 'adapt']);
export type MetaTestKind = z.infer<typeof MetaTestKindSchema>;

/**
 * Bounds on what one meta-test may ask for, so a single request cannot queue unbounded work:
 * the reference compares 3 to 4 system prompts on at most 10 unseen tasks with 10 user prompts.
 */
export const META_TEST_LIMITS = {
  tasks: 100,
  systemPrompts: 20,
  promptChars: 20_000,
  examplesPerSplit: 10_000,
  concurrency: 1_024,
} as const;

export const LabelledSystemPromptSchema = z.object({
  label: z.string().min(1).max(100),
  prompt: z
    .string()
    .max(
      META_TEST_LIMITS.promptChars,
      `a system prompt may have at most ${META_TEST_LIMITS.promptChars} characters`,
    ),
});
export type LabelledSystemPrompt = z.infer<typeof LabelledSystemPromptSchema>;

/**
 * Where a compared system prompt came from: the reference's file (`reference`), the platform's
 * own text used when that file is not fetched (`builtin`), the run (`optimized`) or the caller.
 */
export const SystemPromptOriginSchema = z.enum(['reference', 'builtin', 'optimized', 'input']);
export type SystemPromptOrigin = z.infer<typeof SystemPromptOriginSchema>;

export const MetaTestSystemPromptSchema = LabelledSystemPromptSchema.extend({
  origin: SystemPromptOriginSchema,
});
export type MetaTestSystemPrompt = z.infer<typeof MetaTestSystemPromptSchema>;

export const MetaTestStartInputSchema = z.object({
  kind: MetaTestKindSchema,
  /** Adds the run's optimized system prompt (label "optimized") and takes defaults from its config. */
  runId: z.string().optional(),
  systemPrompts: z
    .array(LabelledSystemPromptSchema)
    .max(
      META_TEST_LIMITS.systemPrompts,
      `at most ${META_TEST_LIMITS.systemPrompts} system prompts per meta-test`,
    )
    .optional(),
  /** Adds the fixed comparison prompts (default, chain-of-thought, service). */
  includeFixed: z.boolean().default(true),
  /** Unseen tasks: ids or a domain (its meta-test set); defaults to the run's metaTestTasks. */
  tasks: TaskSelectionSchema.refine(
    (selection) => !Array.isArray(selection) || selection.length <= META_TEST_LIMITS.tasks,
    {
      message: `at most ${META_TEST_LIMITS.tasks} tasks per meta-test`,
    },
  ).optional(),
  /**
   * Unseen generalization: the reference's user prompts of each task where the registry holds
   * them (default), else APE-generated ones; `generated` generates them for every task.
   */
  userPrompts: UserPromptOriginSchema.optional(),
  /** Unseen generalization: user prompts per task (the first N of the reference's file). */
  unseenUserPrompts: z
    .number()
    .int()
    .positive()
    .max(50, 'at most 50 user prompts per unseen task')
    .optional(),
  /** How responses are read; default the run's scoring, else strict. */
  scoring: ScoringSchema.optional(),
  trainSize: z
    .number()
    .int()
    .positive()
    .max(META_TEST_LIMITS.examplesPerSplit, `trainSize may be at most ${META_TEST_LIMITS.examplesPerSplit}`)
    .optional(),
  testSize: z
    .number()
    .int()
    .positive()
    .max(META_TEST_LIMITS.examplesPerSplit, `testSize may be at most ${META_TEST_LIMITS.examplesPerSplit}`)
    .optional(),
  /** Test-time adaptation: ProTeGi iterations and beam width. */
  iterations: z.number().int().positive().max(50).optional(),
  beamSize: z.number().int().positive().max(10).optional(),
  /**
   * Test-time adaptation: how ProTeGi scores each level's rewrites (RunConfig.userSelection:
   * `racing` races them against the kept nodes); default the run's, else full.
   */
  userSelection: CandidateSelectionSchema.optional(),
  baseModel: ModelRefSchema.optional(),
  optimizerModel: ModelRefSchema.optional(),
  seed: z.number().int().optional(),
  concurrency: z
    .number()
    .int()
    .positive()
    .max(META_TEST_LIMITS.concurrency, `concurrency may be at most ${META_TEST_LIMITS.concurrency}`)
    .optional(),
  /**
   * Limits on the meta-test's provider calls, enforced by the gateway under the meta-test's id;
   * a meta-test stopped by its budget resumes with a higher one (`metaTests.resume`).
   */
  budget: BudgetSchema.optional(),
  /** Share of an evaluation's items whose calls may fail before the meta-test fails (default 0). */
  maxFailedItemShare: z.number().min(0).max(1).optional(),
  /** How its evaluations reach the provider (RunConfig.execution); default the run's, else live. */
  execution: ExecutionModeSchema.optional(),
});
export type MetaTestStartInput = z.input<typeof MetaTestStartInputSchema>;

/**
 * A running meta-test's progress, in the vocabulary of docs/numbers.md: `requestsDone` of
 * `requestsPlanned` are the protocol's requests (one per evaluated example, one per optimizer
 * request); `calls` are what the gateway answered for it so far (retries of malformed
 * optimizer replies and cached replays included).
 */
export const MetaTestProgressSchema = z.object({
  requestsDone: z.number().int().nonnegative(),
  requestsPlanned: z.number().int().nonnegative(),
  calls: z.number().int().nonnegative(),
  /** Evaluated items whose model call failed and were tolerated (maxFailedItemShare). */
  failedItems: z.number().int().nonnegative(),
  updatedAt: z.string(),
});
export type MetaTestProgress = z.infer<typeof MetaTestProgressSchema>;

export const MetaTestStatusSchema = z.enum([
  'running',
  'completed',
  'failed',
  'cancelled',
  'budget-exceeded',
  /** Stored as running, but no process holds its lease: its owner died or hung. */
  'interrupted',
]);
export type MetaTestStatus = z.infer<typeof MetaTestStatusSchema>;

export const UnseenResultSchema = z.object({
  labels: z.array(z.string()),
  tasks: z.array(
    z.object({
      taskId: TaskIdSchema,
      domain: z.string(),
      userPrompts: z.array(z.string()),
      /** Whether those user prompts are the reference's or were generated APE-style. */
      userPromptOrigin: UserPromptOriginSchema,
      /** Mean test score over the task's user prompts, per system-prompt label. */
      scores: z.record(z.string(), z.number()),
      /** Per label, the score of each user prompt (same order as userPrompts). */
      perUserPrompt: z.record(z.string(), z.array(z.number())),
    }),
  ),
  domainAverages: z.array(z.object({ domain: z.string(), scores: z.record(z.string(), z.number()) })),
  overall: z.record(z.string(), z.number()),
});
export type UnseenResult = z.infer<typeof UnseenResultSchema>;

/** One level of a ProTeGi search: the best kept node by train score, and its test score. */
export const AdaptPointSchema = z.object({
  /** 0 the initial prompt, 1 the initial expansion, 1 + r the r-th round. */
  iteration: z.number().int().nonnegative(),
  bestTrainScore: z.number(),
  testScore: z.number(),
  userPrompt: z.string(),
  /** Test scores of every node kept at this level, best by train first (each is tested once). */
  beamTestScores: z.array(z.number()).optional(),
});
export type AdaptPoint = z.infer<typeof AdaptPointSchema>;

export const AdaptResultSchema = z.object({
  labels: z.array(z.string()),
  tasks: z.array(
    z.object({
      taskId: TaskIdSchema,
      /** The default system prompt's test score at the last iteration: the bar to reach. */
      defaultFinalScore: z.number(),
      curves: z.array(
        z.object({
          label: z.string(),
          points: z.array(AdaptPointSchema),
          /** First iteration whose test score reaches defaultFinalScore, null if never. */
          iterationsToReachDefault: z.number().int().nonnegative().nullable(),
        }),
      ),
    }),
  ),
  /** Per label, the test-score curve averaged over tasks. */
  meanCurves: z.record(z.string(), z.array(z.number())),
});
export type AdaptResult = z.infer<typeof AdaptResultSchema>;

export const MetaTestRecordSchema = z.object({
  id: z.string(),
  kind: MetaTestKindSchema,
  status: MetaTestStatusSchema,
  runId: z.string().nullable(),
  systemPrompts: z.array(MetaTestSystemPromptSchema),
  taskIds: z.array(TaskIdSchema),
  scoring: ScoringSchema,
  createdAt: z.string(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  /** Gateway calls the meta-test made (see MetaTestProgressSchema); live while it runs. */
  calls: z.number().int().nonnegative(),
  /** While it runs in this service: how far it is; null once it stopped or when run elsewhere. */
  progress: MetaTestProgressSchema.nullable().optional(),
  unseen: UnseenResultSchema.nullable(),
  adapt: AdaptResultSchema.nullable(),
});
export type MetaTestRecord = z.infer<typeof MetaTestRecordSchema>;

export const MetaTestGetInputSchema = z.object({ id: z.string().min(1) });

export const MetaTestResumeInputSchema = z.object({
  id: z.string().min(1),
  /** Replaces the meta-test's budget (e.g. a higher one after a budget stop). */
  budget: BudgetSchema.optional(),
});
export type MetaTestResumeInput = z.input<typeof MetaTestResumeInputSchema>;
export const MetaTestListInputSchema = z.object({ runId: z.string().optional() }).default({});
