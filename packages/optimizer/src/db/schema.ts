import type {
  AdaptResult,
  ExperimentCell,
  ExperimentCellKind,
  ExperimentConfigInput,
  ExperimentPlan,
  ExperimentProgress,
  ExperimentStatus,
  LabelledSystemPrompt,
  MetaPromptsInfo,
  MetaTestKind,
  MetaTestStartInput,
  MetaTestStatus,
  NodeKind,
  NodePhase,
  RunConfigInput,
  RunEvent,
  RunProgress,
  RunResult,
  RunStatus,
  Scoring,
  SystemPromptOrigin,
  UnseenResult,
} from '@metaspo/schemas';
import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';
import type { LeaseKind } from '../store/leases.js';

/*
 * Column types say what a column holds across every version that wrote it, so rows read without
 * casts. Enum-like text columns use `$type` rather than `text({ enum })`: the value lists live in
 * @metaspo/schemas as zod enums, and SQLite keeps no enum in its DDL either way. Configs and the
 * meta-test start input are typed as their schema's *input*: rows written before a field existed
 * lack its default, which the parse on read fills in.
 */

/** Runs: config and lifecycle. JSON columns hold values validated by @metaspo/schemas. */
export const runs = sqliteTable(
  'runs',
  {
    id: text('id').primaryKey(),
    name: text('name'),
    status: text('status').$type<RunStatus>().notNull(),
    config: text('config', { mode: 'json' }).$type<RunConfigInput>().notNull(),
    /**
     * Name, version, hash and source of the run's meta-prompt set (its text is in the config);
     * null on runs created before sets existed, which used the built-in one.
     */
    metaPrompts: text('meta_prompts', { mode: 'json' }).$type<MetaPromptsInfo>(),
    simulated: integer('simulated', { mode: 'boolean' }).notNull(),
    /** Resolved at the first start (a domain name becomes its task ids) and fixed afterwards. */
    taskIds: text('task_ids', { mode: 'json' }).$type<string[]>(),
    createdAt: text('created_at').notNull(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    error: text('error'),
    progress: text('progress', { mode: 'json' }).$type<RunProgress>(),
    result: text('result', { mode: 'json' }).$type<RunResult>(),
    /** The experiment this run is a cell of, if any. */
    experimentId: text('experiment_id'),
  },
  (t) => [
    index('runs_status_idx').on(t.status),
    index('runs_created_idx').on(t.createdAt),
    index('runs_experiment_idx').on(t.experimentId),
  ],
);

/** The run a row belongs to: deleting the run deletes the row. */
const runIdColumn = () =>
  text('run_id')
    .notNull()
    .references(() => runs.id, { onDelete: 'cascade' });

/**
 * Nodes: one (system prompt, user prompt) pair per step of a run. `stepKey` names the step in
 * the deterministic algorithm (e.g. `i2/inner/task/c1`); a resumed run finds its finished steps
 * by that key. The call counters are those the step made, so run totals are sums over nodes.
 */
export const nodes = sqliteTable(
  'nodes',
  {
    id: text('id').primaryKey(),
    runId: runIdColumn(),
    stepKey: text('step_key').notNull(),
    ordinal: integer('ordinal').notNull(),
    parentId: text('parent_id'),
    kind: text('kind').$type<NodeKind>().notNull(),
    taskId: text('task_id'),
    systemPrompt: text('system_prompt').notNull(),
    userPrompt: text('user_prompt').notNull(),
    iteration: integer('iteration').notNull(),
    phase: text('phase').$type<NodePhase>().notNull(),
    candidateIndex: integer('candidate_index').notNull(),
    trainScore: real('train_score'),
    testScore: real('test_score'),
    evaluationIds: text('evaluation_ids', { mode: 'json' }).$type<string[]>().notNull(),
    droppedReason: text('dropped_reason'),
    baseTrainCalls: integer('base_train_calls').notNull().default(0),
    baseTestCalls: integer('base_test_calls').notNull().default(0),
    optimizerCalls: integer('optimizer_calls').notNull().default(0),
    optimizerRetries: integer('optimizer_retries').notNull().default(0),
    cachedCalls: integer('cached_calls').notNull().default(0),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('nodes_run_idx').on(t.runId, t.ordinal), index('nodes_step_idx').on(t.runId, t.stepKey)],
);

/** Decisions, snapshots and phase markers: written once per key, so replays never repeat them. */
export const steps = sqliteTable(
  'steps',
  {
    runId: runIdColumn(),
    key: text('key').notNull(),
    value: text('value', { mode: 'json' }).notNull(),
    createdAt: text('created_at').notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.key] })],
);

export const events = sqliteTable(
  'events',
  {
    runId: runIdColumn(),
    seq: integer('seq').notNull(),
    event: text('event', { mode: 'json' }).$type<RunEvent>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.runId, t.seq] })],
);

export const metaTests = sqliteTable(
  'meta_tests',
  {
    id: text('id').primaryKey(),
    kind: text('kind').$type<MetaTestKind>().notNull(),
    status: text('status').$type<MetaTestStatus>().notNull(),
    runId: text('run_id'),
    input: text('input', { mode: 'json' }).$type<MetaTestStartInput>().notNull(),
    /** Prompts stored before origins existed have none (the store derives it from the label). */
    systemPrompts: text('system_prompts', { mode: 'json' })
      .$type<Array<LabelledSystemPrompt & { origin?: SystemPromptOrigin }>>()
      .notNull(),
    taskIds: text('task_ids', { mode: 'json' }).$type<string[]>().notNull(),
    /** How every evaluation of the meta-test reads responses (strict or lenient). */
    scoring: text('scoring').$type<Scoring>().notNull().default('strict'),
    createdAt: text('created_at').notNull(),
    finishedAt: text('finished_at'),
    error: text('error'),
    calls: integer('calls').notNull().default(0),
    /** An `UnseenResult` or an `AdaptResult`, as the meta-test's kind says. */
    result: text('result', { mode: 'json' }).$type<UnseenResult | AdaptResult>(),
    /** The experiment this meta-test is a cell of, if any. */
    experimentId: text('experiment_id'),
  },
  (t) => [index('meta_tests_run_idx').on(t.runId), index('meta_tests_experiment_idx').on(t.experimentId)],
);

/**
 * User prompts generated APE-style for an unseen task, stored once per (task, generator,
 * seed, count, meta-prompt set hash) so that every system prompt is compared on the same ones.
 */
export const unseenUserPrompts = sqliteTable('unseen_user_prompts', {
  key: text('key').primaryKey(),
  taskId: text('task_id').notNull(),
  prompts: text('prompts', { mode: 'json' }).$type<string[]>().notNull(),
  createdAt: text('created_at').notNull(),
});

/**
 * Who executes a run, meta-test or experiment right now: one row per executing subject, kept
 * alive by its owner's heartbeat. A row whose `expiresAt` (epoch ms) has passed belongs to an
 * owner that died or hung, and any process may take it over. `cancelRequestedAt` is how another
 * process asks the owner to stop: the owner reads it at its next heartbeat.
 */
export const leases = sqliteTable(
  'leases',
  {
    kind: text('kind').$type<LeaseKind>().notNull(),
    subjectId: text('subject_id').notNull(),
    ownerId: text('owner_id').notNull(),
    host: text('host').notNull(),
    pid: integer('pid').notNull(),
    acquiredAt: integer('acquired_at').notNull(),
    heartbeatAt: integer('heartbeat_at').notNull(),
    expiresAt: integer('expires_at').notNull(),
    cancelRequestedAt: integer('cancel_requested_at'),
  },
  (t) => [primaryKey({ columns: [t.kind, t.subjectId] })],
);

/**
 * Experiments: a grid of runs and meta-tests with one plan and one budget. `config` and `plan`
 * hold an `ExperimentConfig` and an `ExperimentPlan`; the budget in `config` is the current one.
 */
export const experiments = sqliteTable(
  'experiments',
  {
    id: text('id').primaryKey(),
    name: text('name').notNull(),
    status: text('status').$type<ExperimentStatus>().notNull(),
    config: text('config', { mode: 'json' }).$type<ExperimentConfigInput>().notNull(),
    plan: text('plan', { mode: 'json' }).$type<ExperimentPlan>().notNull(),
    simulated: integer('simulated', { mode: 'boolean' }).notNull(),
    createdAt: text('created_at').notNull(),
    startedAt: text('started_at'),
    finishedAt: text('finished_at'),
    error: text('error'),
    progress: text('progress', { mode: 'json' }).$type<ExperimentProgress>(),
  },
  (t) => [index('experiments_created_idx').on(t.createdAt)],
);

/**
 * The cells of an experiment in execution order; a cell's run or meta-test id is written when it
 * is created, so a resumed experiment finds it and continues it instead of starting another.
 */
export const experimentCells = sqliteTable(
  'experiment_cells',
  {
    experimentId: text('experiment_id')
      .notNull()
      .references(() => experiments.id, { onDelete: 'cascade' }),
    key: text('key').notNull(),
    ordinal: integer('ordinal').notNull(),
    kind: text('kind').$type<ExperimentCellKind>().notNull(),
    domain: text('domain').notNull(),
    seed: integer('seed').notNull(),
    method: text('method'),
    runId: text('run_id'),
    metaTestId: text('meta_test_id'),
    status: text('status').$type<ExperimentCell['status']>().notNull(),
  },
  (t) => [primaryKey({ columns: [t.experimentId, t.key] })],
);
