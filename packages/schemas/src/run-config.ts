import { z } from 'zod';
import { ExecutionModeSchema } from './completion.js';
import { SystemPlacementSchema } from './evaluation.js';
import { ModelRefSchema } from './model-ref.js';
import { ScoringSchema } from './scoring.js';
import { DomainSchema, TaskIdSchema } from './task.js';

export const METHODS = ['metaspo', 'outer-loop', 'metaspo-ape', 'ape', 'protegi', 'sprig'] as const;
export const MethodSchema = z.enum(METHODS);
export type Method = z.infer<typeof MethodSchema>;

/** How a loop scores its candidates (RunConfig.selection). */
export const CandidateSelectionSchema = z.enum(['full', 'racing']);
export type CandidateSelection = z.infer<typeof CandidateSelectionSchema>;
export const DEFAULT_SYSTEM_PROMPT = 'You are a helpful assistant.';

/** Either an explicit list of task ids or a domain name, meaning that domain's default set. */
export const TaskSelectionSchema = z.union([
  z.array(TaskIdSchema).min(1, 'list at least one task'),
  DomainSchema,
]);
export type TaskSelection = z.infer<typeof TaskSelectionSchema>;

export const BudgetSchema = z
  .object({
    maxUsd: z.number().positive().optional(),
    maxCalls: z.number().int().positive().optional(),
  })
  .strict();
export type Budget = z.infer<typeof BudgetSchema>;

const positiveInt = (field: string) =>
  z
    // Only for a value that is not a number: a schema-wide message would hide what is wrong.
    .number({ error: (issue) => (issue.code === 'invalid_type' ? `${field} must be a number` : undefined) })
    .int(`${field} must be a whole number`)
    .positive(`${field} must be a positive number`);

/**
 * Every hyperparameter of a run. Defaults are the reference (official code) defaults:
 * 3 iterations, 9 system candidates, 3 user candidates, top-k 3, 50 train / 500 test examples,
 * seed 42, base temperature 0, optimizer temperature 1.
 */
export const RunConfigSchema = z
  .object({
    name: z.string().max(200).optional(),
    method: MethodSchema.default('metaspo'),
    iterations: positiveInt('iterations').default(3),
    numSystemCandidates: positiveInt('numSystemCandidates').default(9),
    numUserCandidates: positiveInt('numUserCandidates').default(3),
    userTopK: positiveInt('userTopK').default(3),
    trainSize: positiveInt('trainSize').default(50),
    testSize: positiveInt('testSize').default(500),
    seed: z.number().int().default(42),
    baseModel: ModelRefSchema.default('sim:default'),
    optimizerModel: ModelRefSchema.default('sim:default'),
    baseTemperature: z.number().min(0).max(2).default(0),
    optimizerTemperature: z.number().min(0).max(2).default(1),
    /** Wrong examples shown to the optimizer per user-prompt candidate (inner loop). */
    wrongExamplesInner: positiveInt('wrongExamplesInner').default(3),
    /** Wrong examples per task shown to the optimizer per system-prompt candidate (outer loop). */
    wrongExamplesPerTask: positiveInt('wrongExamplesPerTask').default(2),
    metaTrainTasks: TaskSelectionSchema,
    metaTestTasks: TaskSelectionSchema.optional(),
    budget: BudgetSchema.optional(),
    /** Parallel evaluations and optimizer calls of this run. */
    concurrency: positiveInt('concurrency').default(64),
    initialSystemPrompt: z.string().default(DEFAULT_SYSTEM_PROMPT),
    systemPlacement: SystemPlacementSchema.default('system'),
    /** How responses are read: the reference's `strict` (default) or `lenient`. */
    scoring: ScoringSchema.default('strict'),
    /** Meta-test: user prompts generated per unseen task. */
    unseenUserPrompts: positiveInt('unseenUserPrompts').default(10),
    /**
     * ProTeGi (the baseline and test-time adaptation): rounds after the initial expansion of the
     * initial prompt, and the beam kept after each (the reference: 6 rounds, beam 3).
     */
    adaptIterations: positiveInt('adaptIterations').default(6),
    beamSize: positiveInt('beamSize').default(3),
    /**
     * APE: instructions proposed from demonstrations, and paraphrases of each of the best
     * `userTopK` prompts. The reference uses its `--iteration` for both, 6 in meta_test.py,
     * the entry point that runs its unilevel baselines.
     */
    apeProposals: positiveInt('apeProposals').default(6),
    apeResamples: positiveInt('apeResamples').default(6),
    /**
     * Completion-token cap of every base-model call, so a looping model cannot run up the bill:
     * the reference's vLLM generation limit (max_tokens 3000).
     */
    maxTokens: positiveInt('maxTokens').default(3000),
    /**
     * The optimizer's meta-prompt templates (docs/meta-prompts.md); absent, the built-in set.
     * In a YAML file, a path relative to that file; a client reads it and sends
     * `{source, text}`, which the run stores, so a resumed or server-side run needs no file.
     */
    metaPrompts: z
      .union([
        z.string().min(1, 'metaPrompts must name a file'),
        z.object({ source: z.string().min(1), text: z.string().min(1) }).strict(),
      ])
      .optional(),
    /**
     * How the outer loop scores its system candidates: `full` (the reference) evaluates each on
     * every task's whole train sample; `racing` evaluates them in rounds on growing prefixes of
     * that sample, drops a candidate once it is confidently worse than the best so far, and
     * finishes the others on the whole sample, so acceptance compares the same full-sample means
     * (docs/optimizer.md, Racing). The call-count formula is then an upper bound.
     */
    selection: CandidateSelectionSchema.default('full'),
    /**
     * The same choice for the inner loop's user candidates (per task, the new user prompts
     * against the kept ones): under `racing` a candidate drops once it is confidently worse
     * than each of the `userTopK` best, so it could not have been kept; the others finish on the
     * whole sample and the beam is chosen from full-sample scores as under `full`. ProTeGi (the
     * `protegi` method and every adaptation meta-test) races each level's new user prompts
     * against its kept ones the same way, for the `beamSize` places.
     */
    userSelection: CandidateSelectionSchema.default('full'),
    /**
     * A race's error budget per loop: the chance that it drops a candidate `full` would keep
     * (split over the rounds that may drop). Larger saves more requests and changes more
     * decisions (docs/optimizer.md, Racing, measures the trade). The default keeps a
     * reference-default run (3 outer loops) at the same final prompt as `full` in 9 runs of 10.
     */
    racingDelta: z
      .number({ error: 'racingDelta must be a number between 0 and 0.5' })
      .gt(0, 'racingDelta must be above 0')
      .max(0.5, 'racingDelta must be at most 0.5')
      .default(0.03),
    /**
     * How the base-model calls of the wide phases (initial scoring, candidate scoring, test
     * scoring, meta-test cells) reach the provider: `live` (default) one by one, `batch` through
     * its batch API (OpenAI, Anthropic: half price, answered within 24 h; other providers are
     * called live). The optimizer's own calls are always live. The answers, and so the result,
     * are the same either way: both use the same cache keys.
     */
    execution: ExecutionModeSchema.default('live'),
    /** Malformed optimizer replies are retried with a new sample index this many times. */
    maxMalformedRetries: z.number().int().nonnegative().default(2),
    /**
     * Share of one evaluation's items whose model calls may fail (after the gateway's retries)
     * before the run stops as `failed` (resumable). 0, the default: any failed item stops it,
     * so no score silently counts a failed call as a wrong answer. Tolerated ones are counted
     * in the result's `calls.failedItems`.
     */
    maxFailedItemShare: z
      .number({ error: 'maxFailedItemShare must be a number between 0 and 1' })
      .min(0, 'maxFailedItemShare must be between 0 and 1')
      .max(1, 'maxFailedItemShare must be between 0 and 1')
      .default(0),
  })
  .strict()
  .superRefine((config, ctx) => {
    if (config.userTopK > config.numUserCandidates + 1) {
      ctx.addIssue({
        code: 'custom',
        path: ['userTopK'],
        message: `userTopK (${config.userTopK}) cannot exceed numUserCandidates + 1 (${config.numUserCandidates + 1})`,
      });
    }
  });
export type RunConfig = z.infer<typeof RunConfigSchema>;
export type RunConfigInput = z.input<typeof RunConfigSchema>;
