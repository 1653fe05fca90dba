import { z } from 'zod';
import { ExecutionModeSchema } from './completion.js';
import { ExperimentConfigSchema, ExperimentProtocolSchema } from './experiment.js';
import { BudgetSchema } from './run-config.js';

/** Inputs and outputs of the optimizer router's `experiments.*` procedures, and the report. */

export const ExperimentPhaseSchema = z.enum(['meta-train', 'meta-train-test', 'unseen', 'adapt']);
export type ExperimentPhase = z.infer<typeof ExperimentPhaseSchema>;

export const ExperimentCellKindSchema = z.enum(['train', ...ExperimentProtocolSchema.options]);
export type ExperimentCellKind = z.infer<typeof ExperimentCellKindSchema>;

/**
 * `exact`: the number of requests is known before the run (with no malformed reply and no
 * generated prompt equal to another). `upper`: a bound that drops or a node kept over several
 * rounds can only lower.
 */
export const PlanBoundSchema = z.enum(['exact', 'upper']);

/** One cell's requests to one model in one phase. */
export const ExperimentPlanRowSchema = z.object({
  cell: z.string(),
  phase: ExperimentPhaseSchema,
  domain: z.string(),
  seed: z.number().int(),
  /** The trained method of a train cell; null for a meta-test (it carries every method). */
  method: z.string().nullable(),
  model: z.string(),
  role: z.enum(['base', 'optimizer']),
  /** Requests this cell sends that no earlier cell of the experiment sends. */
  requests: z.number().int().nonnegative(),
  bound: PlanBoundSchema,
  /**
   * Requests the cell issues that an earlier cell (or an earlier step of the same cell) sends
   * too: the gateway answers them from its cache, so they are not in `requests`. The cell's
   * ledger rows are `requests + shared` (exact rows) or at most that (upper rows).
   */
  shared: z.number().int().nonnegative(),
  /** Of `requests`, those the gateway's cache holds now: they cost nothing. */
  cached: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** null: the model has no known price. */
  costUsd: z.number().nonnegative().nullable(),
  /**
   * `batch`: the row's requests go through the provider's batch API (base-model evaluations of
   * a cell run with `execution: batch`, on a model the gateway has a batch API for), priced at
   * the batch price; optimizer requests are always `live`.
   */
  execution: ExecutionModeSchema.default('live'),
  /** The same requests at the live price (equal to costUsd for a live row). */
  liveCostUsd: z.number().nonnegative().nullable().default(null),
  /** Batch rows: the waves of batches the phase waits on one after another (0 for live rows). */
  batchWaves: z.number().int().nonnegative().default(0),
});
export type ExperimentPlanRow = z.infer<typeof ExperimentPlanRowSchema>;

export const ExperimentPlanModelSchema = z.object({
  model: z.string(),
  requests: z.number().int().nonnegative(),
  bound: PlanBoundSchema,
  cached: z.number().int().nonnegative(),
  inputTokens: z.number().int().nonnegative(),
  outputTokens: z.number().int().nonnegative(),
  /** What this config pays: batch rows at the batch price, the others at the live price. */
  costUsd: z.number().nonnegative().nullable(),
  price: z.object({ input: z.number(), output: z.number() }).nullable(),
  /** Of `requests`, those sent through the provider's batch API. */
  batchRequests: z.number().int().nonnegative().default(0),
  batchPrice: z.object({ input: z.number(), output: z.number() }).nullable().default(null),
  /** The same requests all at the live price (what `execution: live` would pay). */
  liveCostUsd: z.number().nonnegative().nullable().default(null),
  /** liveCostUsd - costUsd: what batch execution saves on this model. */
  savedUsd: z.number().nonnegative().nullable().default(null),
});

export const ExperimentPlanSchema = z.object({
  rows: z.array(ExperimentPlanRowSchema),
  models: z.array(ExperimentPlanModelSchema),
  totals: z.object({
    requests: z.number().int().nonnegative(),
    cached: z.number().int().nonnegative(),
    costUsd: z.number().nonnegative().nullable(),
    /** Every model at the live price, and what batch execution saves against it. */
    liveCostUsd: z.number().nonnegative().nullable().default(null),
    savedUsd: z.number().nonnegative().nullable().default(null),
    /** Cells one after another: live requests at the concurrency and latency, plus batch waits. */
    wallSeconds: z.number().nonnegative(),
    /** Of wallSeconds, the waits on batches (waves x plan.batchTurnaroundMinutes). */
    batchWaitSeconds: z.number().nonnegative().default(0),
  }),
  /** Models without a known price: their cost is left out of totals.costUsd. */
  unknownPrices: z.array(z.string()),
  /** Whether the cache could be asked (a gateway without `cache.check` leaves cached at 0). */
  cacheChecked: z.boolean(),
  /** Why the CLI asks before starting (empty: it does not). */
  confirmReasons: z.array(z.string()),
  simulated: z.boolean(),
});
export type ExperimentPlan = z.infer<typeof ExperimentPlanSchema>;

export const ExperimentStatusSchema = z.enum([
  'created',
  'running',
  'completed',
  'failed',
  'cancelled',
  'budget-exceeded',
]);
export type ExperimentStatus = z.infer<typeof ExperimentStatusSchema>;

export const ExperimentCellSchema = z.object({
  key: z.string(),
  kind: ExperimentCellKindSchema,
  domain: z.string(),
  seed: z.number().int(),
  method: z.string().nullable(),
  runId: z.string().nullable(),
  metaTestId: z.string().nullable(),
  status: z.enum(['pending', 'running', 'completed', 'failed', 'cancelled', 'budget-exceeded']),
});
export type ExperimentCell = z.infer<typeof ExperimentCellSchema>;

export const ExperimentProgressSchema = z.object({
  /** Provider requests paid so far by the experiment's runs and meta-tests. */
  requestsDone: z.number().int().nonnegative(),
  requestsPlanned: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative().nullable(),
  cellsDone: z.number().int().nonnegative(),
  cellsTotal: z.number().int().nonnegative(),
  currentCell: z.string().nullable(),
  /** Seconds left at the rate measured so far; null before any request. */
  etaSeconds: z.number().nonnegative().nullable(),
});
export type ExperimentProgress = z.infer<typeof ExperimentProgressSchema>;

export const ExperimentRecordSchema = z.object({
  id: z.string(),
  name: z.string(),
  status: ExperimentStatusSchema,
  config: ExperimentConfigSchema,
  plan: ExperimentPlanSchema,
  simulated: z.boolean(),
  createdAt: z.string(),
  startedAt: z.string().nullable(),
  finishedAt: z.string().nullable(),
  error: z.string().nullable(),
  progress: ExperimentProgressSchema,
  cells: z.array(ExperimentCellSchema),
});
export type ExperimentRecord = z.infer<typeof ExperimentRecordSchema>;

export const ExperimentEventSchema = z.discriminatedUnion('type', [
  z.object({ type: z.literal('progress'), experimentId: z.string(), progress: ExperimentProgressSchema }),
  z.object({ type: z.literal('cell'), experimentId: z.string(), cell: ExperimentCellSchema }),
  z.object({
    type: z.literal('status'),
    experimentId: z.string(),
    status: ExperimentStatusSchema,
    error: z.string().nullable(),
  }),
]);
export type ExperimentEvent = z.infer<typeof ExperimentEventSchema>;

export const ExperimentConfigInputSchema = z.object({
  /** YAML text (errors name field and line) or a config object. */
  config: z.union([z.string().min(1, 'config YAML must not be empty'), z.record(z.string(), z.unknown())]),
});
export const ExperimentIdInputSchema = z.object({ id: z.string().min(1) });
export const ExperimentResumeInputSchema = z.object({
  id: z.string().min(1),
  /** Replaces the experiment's budget (a budget stop resumes with a higher one). */
  budget: BudgetSchema.optional(),
});
export const ExperimentListInputSchema = z
  .object({ limit: z.number().int().positive().max(1000).default(100) })
  .default({ limit: 100 });

/** A mean with its 95% bootstrap interval. */
export const IntervalSchema = z.object({ estimate: z.number(), low: z.number(), high: z.number() });
export type IntervalValue = z.infer<typeof IntervalSchema>;

export const UnseenReportRowSchema = z.object({
  kind: z.enum(['task', 'domain', 'overall']),
  domain: z.string().nullable(),
  taskId: z.string().nullable(),
  cells: z.record(z.string(), IntervalSchema),
  /** Methods with the highest mean in the row (ties all marked). */
  best: z.array(z.string()),
  /** `metaspo` minus each other method, from the same resamples; empty without metaspo. */
  versusMetaspo: z.record(z.string(), IntervalSchema),
});
export type UnseenReportRow = z.infer<typeof UnseenReportRowSchema>;

export const ExperimentCostRowSchema = z.object({
  /** A train cell's method, or the meta-test's phase for a meta-test's requests. */
  method: z.string(),
  phase: ExperimentPhaseSchema,
  plannedRequests: z.number().int().nonnegative(),
  actualRequests: z.number().int().nonnegative(),
  plannedUsd: z.number().nullable(),
  actualUsd: z.number().nullable(),
});

export const ExperimentReportSchema = z.object({
  reportVersion: z.literal(1),
  experiment: z.object({
    id: z.string(),
    name: z.string(),
    status: ExperimentStatusSchema,
    /** Every number below comes from the simulator: label it so wherever it is shown. */
    simulated: z.boolean(),
    baseModel: z.string(),
    optimizerModel: z.string(),
    seeds: z.array(z.number().int()),
    scoring: z.string(),
  }),
  methods: z.array(z.string()),
  bootstrap: z.object({ seed: z.number().int(), resamples: z.number().int(), level: z.number() }),
  unseen: z.array(UnseenReportRowSchema).nullable(),
  adapt: z
    .object({
      /** Per method the mean test score per iteration over every task and seed. */
      meanCurves: z.record(z.string(), z.array(z.number())),
      /** Per method the mean over tasks of the iterations to reach default's final score; null if never. */
      iterationsToReachDefault: z.record(z.string(), z.number().nullable()),
      /** Per method the share of tasks that reached it. */
      reachedShare: z.record(z.string(), z.number()),
    })
    .nullable(),
  cost: z.array(ExperimentCostRowSchema),
  /** Vega-Lite specs of the figures (the same ones the SVG files are rendered from). */
  figures: z.array(
    z.object({ name: z.string(), title: z.string(), spec: z.record(z.string(), z.unknown()) }),
  ),
});
export type ExperimentReport = z.infer<typeof ExperimentReportSchema>;
