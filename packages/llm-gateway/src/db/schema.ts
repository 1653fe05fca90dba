import { index, integer, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

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

export const gatewaySchema = { cacheEntries, ledger, budgets };
