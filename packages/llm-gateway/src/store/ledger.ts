import type { LlmErrorKind, UsageReport, UsageTotals } from '@metaspo/schemas';
import type Database from 'better-sqlite3';
import type { WriteQueue } from './write-queue.js';

export interface LedgerRow {
  callId: string;
  runId: string | undefined;
  tag: string | undefined;
  provider: string;
  model: string;
  cached: boolean;
  promptTokens: number;
  completionTokens: number;
  latencyMs: number;
  /**
   * 0 for cached calls and for failed calls with no unanswered attempt; null for a paid call of
   * an unpriced model. Includes the estimate for each unanswered attempt.
   */
  costUsd: number | null;
  errorKind: LlmErrorKind | undefined;
  /** Attempts sent that timed out or were aborted: possibly billed, cost estimated. */
  unansweredAttempts: number;
  /** A batch line's live price minus its batch price (absent: 0, a live call). */
  savedUsd?: number;
}

interface RunSpend {
  paidCalls: number;
  costUsd: number;
  unpricedCalls: number;
}

export interface Ledger {
  record(row: LedgerRow): void;
  usage(runId?: string): UsageReport;
  spendOf(runId: string): RunSpend;
}

interface TotalsRow {
  model?: string;
  calls: number;
  cached_calls: number | null;
  paid_calls: number | null;
  failed_calls: number | null;
  cancelled_calls: number | null;
  prompt_tokens: number | null;
  completion_tokens: number | null;
  cost_usd: number | null;
  unpriced_calls: number | null;
  saved_usd: number | null;
}

/**
 * Token totals count answered paid calls only (what a provider reported); a cached replay
 * reports its original usage to the caller but costs nothing and is counted in `cachedCalls`.
 * A failed call with an unanswered attempt may have been billed, so it is a paid call too.
 * Cancelled calls are counted apart from failed ones: a cancel is not a failure.
 */
const TOTALS_COLUMNS = `
  count(*) AS calls,
  sum(cached) AS cached_calls,
  sum(CASE WHEN cached = 0 AND (status = 'ok' OR unanswered_attempts > 0) THEN 1 ELSE 0 END) AS paid_calls,
  sum(CASE WHEN status = 'error' AND error_kind IS NOT 'cancelled' THEN 1 ELSE 0 END) AS failed_calls,
  sum(CASE WHEN error_kind = 'cancelled' THEN 1 ELSE 0 END) AS cancelled_calls,
  sum(CASE WHEN cached = 0 AND status = 'ok' THEN prompt_tokens ELSE 0 END) AS prompt_tokens,
  sum(CASE WHEN cached = 0 AND status = 'ok' THEN completion_tokens ELSE 0 END) AS completion_tokens,
  sum(coalesce(cost_usd, 0)) AS cost_usd,
  sum(CASE WHEN cost_usd IS NULL THEN 1 ELSE 0 END) AS unpriced_calls,
  sum(saved_usd) AS saved_usd`;

function toTotals(row: TotalsRow | undefined): UsageTotals {
  const unpriced = row?.unpriced_calls ?? 0;
  return {
    calls: row?.calls ?? 0,
    cachedCalls: row?.cached_calls ?? 0,
    paidCalls: row?.paid_calls ?? 0,
    failedCalls: row?.failed_calls ?? 0,
    cancelledCalls: row?.cancelled_calls ?? 0,
    promptTokens: row?.prompt_tokens ?? 0,
    completionTokens: row?.completion_tokens ?? 0,
    costUsd: unpriced > 0 ? null : (row?.cost_usd ?? 0),
    unpricedCalls: unpriced,
    savedUsd: row?.saved_usd ?? 0,
  };
}

export function createLedger(sqlite: Database.Database, queue: WriteQueue): Ledger {
  const insert = sqlite.prepare(
    `INSERT INTO ledger (call_id, run_id, tag, provider, model, cached, prompt_tokens, completion_tokens,
       latency_ms, cost_usd, status, error_kind, unanswered_attempts, saved_usd, created_at)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );
  const totalsAll = sqlite.prepare<[], TotalsRow>(`SELECT ${TOTALS_COLUMNS} FROM ledger`);
  const totalsRun = sqlite.prepare<[string], TotalsRow>(
    `SELECT ${TOTALS_COLUMNS} FROM ledger WHERE run_id = ?`,
  );
  const byModelAll = sqlite.prepare<[], TotalsRow>(
    `SELECT model, ${TOTALS_COLUMNS} FROM ledger GROUP BY model ORDER BY model`,
  );
  const byModelRun = sqlite.prepare<[string], TotalsRow>(
    `SELECT model, ${TOTALS_COLUMNS} FROM ledger WHERE run_id = ? GROUP BY model ORDER BY model`,
  );

  return {
    record(row) {
      queue.add(insert, [
        row.callId,
        row.runId ?? null,
        row.tag ?? null,
        row.provider,
        row.model,
        row.cached ? 1 : 0,
        row.promptTokens,
        row.completionTokens,
        row.latencyMs,
        row.costUsd,
        row.errorKind ? 'error' : 'ok',
        row.errorKind ?? null,
        row.unansweredAttempts,
        row.savedUsd ?? 0,
        Date.now(),
      ]);
    },
    usage(runId) {
      queue.flush();
      const rows = runId === undefined ? byModelAll.all() : byModelRun.all(runId);
      // With one model its row is the totals: a second scan of every row of the run (tens of
      // thousands at a phase's end, in one turn of a live server's event loop) would repeat it.
      const totals =
        rows.length === 1
          ? toTotals(rows[0])
          : toTotals(runId === undefined ? totalsAll.get() : totalsRun.get(runId));
      return { totals, byModel: rows.map((r) => ({ model: r.model ?? '', ...toTotals(r) })) };
    },
    spendOf(runId) {
      queue.flush();
      const row = totalsRun.get(runId);
      return {
        paidCalls: row?.paid_calls ?? 0,
        costUsd: row?.cost_usd ?? 0,
        unpricedCalls: row?.unpriced_calls ?? 0,
      };
    },
  };
}
