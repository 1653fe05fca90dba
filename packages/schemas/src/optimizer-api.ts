import { z } from 'zod';
import { ExecutionModeSchema } from './completion.js';
import { ModelRefSchema } from './model-ref.js';
import { NodeRecordSchema } from './node.js';
import { UserPromptOriginSchema } from './protocol-assets.js';
import {
  MetaPromptsInfoSchema,
  RunCallsSchema,
  RunRecordSchema,
  RunResultSchema,
  RunStatusSchema,
} from './run.js';
import { BudgetSchema, RunConfigSchema, TaskSelectionSchema } from './run-config.js';
import { ScoringSchema } from './scoring.js';
import { TaskIdSchema } from './task.js';
import { UsageTotalsSchema } from './usage.js';

/** Inputs and outputs of the `optimizer` router (runs, nodes, events, meta-tests). */

export const RunCreateInputSchema = z.object({
  /** A config object, or YAML text validated the same way. */
  config: z.union([z.string().min(1, 'config YAML must not be empty'), RunConfigSchema]),
  name: z.string().max(200).optional(),
});
export type RunCreateInput = z.input<typeof RunCreateInputSchema>;

export const RunIdInputSchema = z.object({ id: z.string().min(1) });

export const RunListInputSchema = z
  .object({
    status: RunStatusSchema.optional(),
    limit: z.number().int().positive().max(1000).default(100),
  })
  .default({ limit: 100 });

export const RunResumeInputSchema = z.object({
  id: z.string().min(1),
  /** Replaces the run's budget (e.g. a higher one after a budget stop). */
  budget: BudgetSchema.optional(),
});
export type RunResumeInput = z.input<typeof RunResumeInputSchema>;

/** YAML text (issues get lines) or a config object (as the form holds it); exactly one. */
export const ValidateConfigInputSchema = z
  .object({ yaml: z.string().optional(), config: z.record(z.string(), z.unknown()).optional() })
  .refine((input) => (input.yaml === undefined) !== (input.config === undefined), {
    message: 'send either yaml or config',
  });
export type ValidateConfigInput = z.infer<typeof ValidateConfigInputSchema>;

export const ConfigIssueSchema = z.object({
  /** The field as a dotted string, e.g. `metaTrainTasks.2` (`''` for the whole config). */
  path: z.string(),
  /** The same field as segments, e.g. `['metaTrainTasks', 2]`; absent on syntax errors. */
  segments: z.array(z.union([z.string(), z.number().int().nonnegative()])).optional(),
  message: z.string(),
  /** 1-based line of the YAML text the issue points at, when it can be located. */
  line: z.number().int().positive().optional(),
  /** What to do about it: a command to run or an environment variable to set (a name only). */
  hint: z.string().optional(),
});
export type ConfigIssue = z.infer<typeof ConfigIssueSchema>;

/**
 * `ok` means the run will start: its config parses, its tasks exist and are imported, its
 * models' providers are configured and its sizes fit the data (`runs.create` and `runs.start`
 * refuse with the same issues). `warnings` never block, e.g. a testSize above a task's test count.
 */
export const ValidateConfigResultSchema = z.object({
  ok: z.boolean(),
  issues: z.array(ConfigIssueSchema),
  warnings: z.array(ConfigIssueSchema).optional(),
});
export type ValidateConfigResult = z.infer<typeof ValidateConfigResultSchema>;

export const NodesListInputSchema = z.object({ runId: z.string().min(1) });

export const EventsInputSchema = z.object({
  runId: z.string().min(1),
  afterSeq: z.number().int().min(-1).optional(),
  /** Set by the SSE link on reconnect (the id given to `tracked`): resumes after that seq. */
  lastEventId: z.string().nullish(),
});

/** Scores of every task at one stage of a run: after the initial evaluation, an inner or an outer loop. */
export const IterationSnapshotSchema = z.object({
  iteration: z.number().int().nonnegative(),
  stage: z.enum(['initial', 'inner', 'outer']),
  systemPrompt: z.string(),
  /** Outer stages: whether a candidate replaced the system prompt. */
  accepted: z.boolean().nullable(),
  meanScore: z.number(),
  tasks: z.array(
    z.object({
      taskId: TaskIdSchema,
      bestScore: z.number(),
      meanScore: z.number(),
      nodeIds: z.array(z.string()),
    }),
  ),
});
export type IterationSnapshot = z.infer<typeof IterationSnapshotSchema>;

export const RunExportSchema = z.object({
  /** 2: `metaPrompts` (the set's identity and text) replaced `metaPromptsVersion`. */
  exportVersion: z.literal(2),
  run: RunRecordSchema,
  config: RunConfigSchema,
  taskIds: z.array(TaskIdSchema),
  optimizedSystemPrompt: z.string().nullable(),
  scores: RunResultSchema.shape.scores.nullable(),
  /** How every score of the export was read, and whether the simulator answered. */
  scoring: ScoringSchema,
  simulated: z.boolean(),
  iterations: z.array(IterationSnapshotSchema),
  /** Every node with its parent id: the lineage of every prompt the run produced. */
  nodes: z.array(NodeRecordSchema),
  calls: RunCallsSchema,
  usage: UsageTotalsSchema.nullable(),
  costUsd: z.number().nullable(),
  /** The meta-prompt set the run used, with its text. */
  metaPrompts: MetaPromptsInfoSchema.extend({ text: z.string() }),
});
export type RunExport = z.infer<typeof RunExportSchema>;

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

/** What `runs.delete` and `metaTests.delete` removed (the gateway's cache and ledger stay). */
export const DeleteResultSchema = z.object({
  id: z.string(),
  deleted: z.literal(true),
  /** Nodes of a run; 0 for a meta-test. */
  nodes: z.number().int().nonnegative(),
  /** Events of a run; 0 for a meta-test. */
  events: z.number().int().nonnegative(),
});
export type DeleteResult = z.infer<typeof DeleteResultSchema>;
export const MetaTestResumeInputSchema = z.object({
  id: z.string().min(1),
  /** Replaces the meta-test's budget (e.g. a higher one after a budget stop). */
  budget: BudgetSchema.optional(),
});
export type MetaTestResumeInput = z.input<typeof MetaTestResumeInputSchema>;
export const MetaTestListInputSchema = z.object({ runId: z.string().optional() }).default({});
