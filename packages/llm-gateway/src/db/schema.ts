import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Successful responses by cache key (sha256 of what determines the answer; never keys or URLs). */
export const cacheEntries = sqliteTable('cache_entries', {
  key: text('key').primaryKey(),
  model: text('model').notNull(),
  text: text('text').notNull(),
  promptTokens: integer('prompt_tokens').notNull(),
  completionTokens: integer('completion_tokens').notNull(),
  finishReason: text('finish_reason').notNull(),
  createdAt: integer('created_at').notNull(),
});

/**
 * One row per request, cached or not, failed or not. Appended at thousands of rows per second,
 * so the only index is the run id (usage and budgets per run); call ids are random UUIDs and
 * are not indexed, and per-model totals scan.
 */
export const ledger = sqliteTable(
  'ledger',
  {
    id: integer('id').primaryKey(),
    callId: text('call_id').notNull(),
    runId: text('run_id'),
    tag: text('tag'),
    provider: text('provider').notNull(),
    model: text('model').notNull(),
    cached: integer('cached', { mode: 'boolean' }).notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    latencyMs: real('latency_ms').notNull(),
    /** null for a paid call whose model has no known price. */
    costUsd: real('cost_usd'),
    status: text('status', { enum: ['ok', 'error'] }).notNull(),
    errorKind: text('error_kind'),
    /**
     * Attempts that timed out or were aborted after they were sent: the provider may have billed
     * them, so `cost_usd` includes an estimate for each and the call counts as paid.
     */
    unansweredAttempts: integer('unanswered_attempts').notNull().default(0),
    /** A batch line's live price minus what it cost at the batch price; 0 for a live call. */
    savedUsd: real('saved_usd').notNull().default(0),
    createdAt: integer('created_at').notNull(),
  },
  (t) => [index('ledger_run_idx').on(t.runId)],
);

export const budgets = sqliteTable('budgets', {
  runId: text('run_id').primaryKey(),
  maxUsd: real('max_usd'),
  maxCalls: integer('max_calls'),
  updatedAt: integer('updated_at').notNull(),
});

/**
 * A provider batch (`execution: 'batch'`). The row and its lines are written before anything is
 * sent, so a process killed at any point finds it again: `preparing` without a provider id may
 * or may not have reached the provider (OpenAI batches carry the job id in their metadata, so a
 * resumed gateway looks for it before giving up on it); `submitted` is polled, never resent;
 * `cancelling` is polled until the provider ends it, its answered lines kept; `released` is a
 * cancelling job past `cancelGraceMs` whose lines went live: still polled to its end, so the
 * lines it answered (and the provider billed) reach the ledger.
 */
export const batchJobs = sqliteTable(
  'batch_jobs',
  {
    id: text('id').primaryKey(),
    /** The batch API spoken: openai (also OpenAI-compatible servers) or anthropic. */
    protocol: text('protocol', { enum: ['openai', 'anthropic'] }).notNull(),
    /** The endpoint's identity (provider, base URL, a hash of the key's identity; never the key). */
    endpointId: text('endpoint_id').notNull(),
    /** The model reference every line asks for (one model per batch). */
    model: text('model').notNull(),
    providerBatchId: text('provider_batch_id'),
    state: text('state', {
      enum: ['preparing', 'submitted', 'cancelling', 'released', 'ended', 'abandoned'],
    }).notNull(),
    lines: integer('lines').notNull(),
    createdAt: integer('created_at').notNull(),
    submittedAt: integer('submitted_at'),
    endedAt: integer('ended_at'),
    /**
     * Why the gateway cancels the batch at the provider: `deadline` (its lines go live after
     * `liveAfterMs`) or `unneeded` (every request waiting on it left: its run was cancelled).
     * Written, with the state `cancelling`, before the cancel is sent.
     */
    cancelReason: text('cancel_reason', { enum: ['deadline', 'unneeded'] }),
    cancelRequestedAt: integer('cancel_requested_at'),
    /** When the provider accepted the cancel: a resumed gateway never sends it again. */
    cancelAcknowledgedAt: integer('cancel_acknowledged_at'),
  },
  (t) => [index('batch_jobs_state_idx').on(t.state)],
);

/** One request of a batch, by the cache key its answer is stored under (also its custom id). */
export const batchLines = sqliteTable(
  'batch_lines',
  {
    jobId: text('job_id').notNull(),
    cacheKey: text('cache_key').notNull(),
    runId: text('run_id'),
    tag: text('tag'),
    state: text('state', { enum: ['pending', 'answered', 'failed'] }).notNull(),
    /** How many batches the line has been in, this one included. */
    submission: integer('submission').notNull(),
    /** When the line was first submitted in any batch: `liveAfterMs` counts from here. */
    firstSubmittedAt: integer('first_submitted_at').notNull(),
    /** The line's estimated cost, reserved against its run's budget until it is answered. */
    reservedUsd: real('reserved_usd').notNull().default(0),
  },
  (t) => [primaryKey({ columns: [t.jobId, t.cacheKey] }), index('batch_lines_key_idx').on(t.cacheKey)],
);

export const gatewaySchema = { cacheEntries, ledger, budgets, batchJobs, batchLines };
