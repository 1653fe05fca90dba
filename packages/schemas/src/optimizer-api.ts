import { z } from 'zod';
import { NodeRecordSchema } from './node.js';
import { RaceSchema } from './race.js';
import {
  MetaPromptsInfoSchema,
  PhaseCallsSchema,
  RunCallsSchema,
  type RunRecord,
  RunRecordSchema,
  RunResultSchema,
  RunStatusSchema,
} from './run.js';
import { BudgetSchema, RunConfigSchema } from './run-config.js';
import { ScoringSchema } from './scoring.js';
import { TaskIdSchema } from './task.js';
import { UsageTotalsSchema } from './usage.js';

/**
 * Inputs and outputs of the `optimizer` router's runs, nodes and events (meta-tests:
 * meta-test-api.ts; experiments: experiment-api.ts).
 */

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

/**
 * What `runs.create` returns: the stored run and the warnings of the preflight it passed (they
 * never block; the same ones `runs.validateConfig` gives, at their lines for YAML text).
 */
export type CreatedRun = RunRecord & { warnings: ConfigIssue[] };

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
  /** The same calls split by the phase that created each node (absent in older exports). */
  callsByPhase: z.array(PhaseCallsSchema).optional(),
  /** The rounds of every race the run ran (racing selection; absent in older exports). */
  races: z.array(RaceSchema).optional(),
  usage: UsageTotalsSchema.nullable(),
  costUsd: z.number().nullable(),
  /** The meta-prompt set the run used, with its text. */
  metaPrompts: MetaPromptsInfoSchema.extend({ text: z.string() }),
});
export type RunExport = z.infer<typeof RunExportSchema>;

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
