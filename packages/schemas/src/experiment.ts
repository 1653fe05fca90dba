import { z } from 'zod';
import { ExecutionModeSchema } from './completion.js';
import { ModelRefSchema } from './model-ref.js';
import { BudgetSchema } from './run-config.js';
import { ScoringSchema } from './scoring.js';
import { DomainSchema, TaskIdSchema } from './task.js';

/** Fixed system prompts (compared as they are) and trained ones (one run per domain and seed). */
export const FIXED_EXPERIMENT_METHODS = ['default', 'chain-of-thought', 'service'] as const;
export const TRAINED_EXPERIMENT_METHODS = ['sprig', 'outer-loop', 'metaspo', 'metaspo-ape'] as const;
export const EXPERIMENT_METHODS = [...FIXED_EXPERIMENT_METHODS, ...TRAINED_EXPERIMENT_METHODS] as const;
export const ExperimentMethodSchema = z.enum(EXPERIMENT_METHODS);
export type ExperimentMethod = z.infer<typeof ExperimentMethodSchema>;
export type TrainedExperimentMethod = (typeof TRAINED_EXPERIMENT_METHODS)[number];

export const ExperimentProtocolSchema = z.enum(['unseen', 'adapt']);
export type ExperimentProtocol = z.infer<typeof ExperimentProtocolSchema>;

/**
 * A domain of the grid: a name alone means that domain's default meta-train and meta-test sets;
 * an object names its own task sets (its `name` labels the report's rows).
 */
export const ExperimentDomainSchema = z.union([
  DomainSchema,
  z
    .object({
      name: DomainSchema,
      metaTrainTasks: z.array(TaskIdSchema).min(1, 'list at least one meta-train task'),
      metaTestTasks: z.array(TaskIdSchema).min(1, 'list at least one meta-test task'),
    })
    .strict(),
]);
export type ExperimentDomain = z.infer<typeof ExperimentDomainSchema>;

/**
 * Run-config fields an experiment sets itself for every run and meta-test: they are top-level
 * fields of the experiment (or follow from the grid), never `run` options.
 */
export const EXPERIMENT_OWNED_RUN_FIELDS = [
  'name',
  'method',
  'seed',
  'baseModel',
  'optimizerModel',
  'metaTrainTasks',
  'metaTestTasks',
  'budget',
  'concurrency',
  'scoring',
  'execution',
] as const;

/** Output tokens the plan assumes per base-model answer, by answer type, and per optimizer reply. */
export const OutputTokenEstimateSchema = z
  .object({
    option: z.number().int().positive().default(64),
    integer: z.number().int().positive().default(160),
    'yes-no': z.number().int().positive().default(64),
    rating: z.number().int().positive().default(64),
    label: z.number().int().positive().default(64),
    'free-text': z.number().int().positive().default(200),
    optimizer: z.number().int().positive().default(400),
  })
  .strict();
export type OutputTokenEstimate = z.infer<typeof OutputTokenEstimateSchema>;

export const ExperimentPlanOptionsSchema = z
  .object({
    /** Seconds per request assumed for the wall-time estimate. */
    latencySeconds: z.number().positive().default(1),
    /**
     * Under `execution: batch`: minutes from a batch's submission to its answers, assumed per
     * wave of batch requests the phase waits on. Providers promise 24 h and usually answer much
     * sooner (Anthropic: most batches within an hour), hence 60.
     */
    batchTurnaroundMinutes: z.number().positive().default(60),
    outputTokens: OutputTokenEstimateSchema.default(OutputTokenEstimateSchema.parse({})),
    /** Prompt tokens assumed per optimizer request (its meta-prompt holds generated text). */
    optimizerInputTokens: z.number().int().positive().default(1500),
    /** The CLI asks before starting when the plan's cost or requests exceed these. */
    confirmAboveUsd: z.number().nonnegative().default(1),
    confirmAboveRequests: z.number().int().nonnegative().default(50_000),
  })
  .strict();
export type ExperimentPlanOptions = z.infer<typeof ExperimentPlanOptionsSchema>;

/**
 * An experiment: every method x domain x seed. Each trained method is trained once per domain and
 * seed on the meta-train tasks; then one unseen and one adapt meta-test per domain and seed carry
 * every method's system prompt, so the unseen user prompts and examples are shared.
 */
export const ExperimentConfigSchema = z
  .object({
    name: z.string().min(1).max(200),
    domains: z.array(ExperimentDomainSchema).min(1, 'list at least one domain'),
    methods: z
      .array(ExperimentMethodSchema)
      .min(1, 'list at least one method')
      .refine((m) => new Set(m).size === m.length, 'a method is listed twice'),
    baseModel: ModelRefSchema,
    optimizerModel: ModelRefSchema,
    seeds: z
      .array(z.number().int())
      .min(1, 'list at least one seed')
      .refine((s) => new Set(s).size === s.length, 'a seed is listed twice')
      .default([42]),
    protocols: z
      .array(ExperimentProtocolSchema)
      .min(1, 'list at least one protocol')
      .refine((p) => new Set(p).size === p.length, 'a protocol is listed twice')
      .default(['unseen', 'adapt']),
    scoring: ScoringSchema.default('strict'),
    /** Parallel evaluations and optimizer calls of each run and meta-test. */
    concurrency: z.number().int().positive().default(64),
    /** `execution` of every run and meta-test (RunConfig.execution): `live` or `batch`. */
    execution: ExecutionModeSchema.default('live'),
    /** Run-config options of every run and meta-test (iterations, sizes, ...), checked per run. */
    run: z.record(z.string(), z.unknown()).default({}),
    /** One budget for all runs and meta-tests together. */
    budget: BudgetSchema.optional(),
    plan: ExperimentPlanOptionsSchema.default(ExperimentPlanOptionsSchema.parse({})),
  })
  .strict()
  .superRefine((config, ctx) => {
    for (const field of EXPERIMENT_OWNED_RUN_FIELDS) {
      if (field in config.run) {
        ctx.addIssue({
          code: 'custom',
          path: ['run', field],
          message: `"${field}" is set by the experiment (a top-level field or the grid), not per run`,
        });
      }
    }
    const names = config.domains.map((d) => (typeof d === 'string' ? d : d.name));
    const twice = names.find((n, i) => names.indexOf(n) !== i);
    if (twice)
      ctx.addIssue({ code: 'custom', path: ['domains'], message: `domain "${twice}" is listed twice` });
  });
export type ExperimentConfig = z.infer<typeof ExperimentConfigSchema>;
export type ExperimentConfigInput = z.input<typeof ExperimentConfigSchema>;
