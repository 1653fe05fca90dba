import type { BudgetStatus } from '@metaspo/schemas';
import type Database from 'better-sqlite3';
import { budgetExceeded } from '../errors.js';
import type { Ledger } from './ledger.js';

interface RunBudgetState {
  maxUsd: number | null;
  maxCalls: number | null;
  paidCalls: number;
  spentUsd: number;
  unpricedCalls: number;
  inFlight: number;
  /** Estimated cost of batch lines submitted and not yet settled. */
  reservedUsd: number;
}

export interface Budgets {
  set(input: {
    runId: string;
    maxUsd?: number | null | undefined;
    maxCalls?: number | null | undefined;
  }): BudgetStatus;
  get(runId: string): BudgetStatus;
  /**
   * Claims one provider call for the run or throws a budget-exceeded LlmCallError. A batch line
   * also claims its estimated cost (`estimateUsd`), refused if it would take the settled and
   * reserved cost past `maxUsd`: its answer comes hours later, too late to stop at.
   */
  reserve(runId: string, estimateUsd?: number): void;
  /**
   * Ends a reserved call, releasing the estimate it reserved. A paid one (answered, or with an
   * attempt that may have been billed) adds its cost (null: unpriced).
   */
  settle(
    runId: string,
    outcome: { paid: true; costUsd: number | null } | { paid: false },
    reservedUsd?: number,
  ): void;
  /**
   * A paid call that held no claim: a line of a batch whose lines had already gone live, billed
   * by the provider when it ended. Its cost counts like any other.
   */
  charge(runId: string, costUsd: number | null): void;
}

/**
 * Per-run limits on provider calls and USD. Cached replays are free and never blocked, so a
 * run stopped by its budget and resumed with a higher one replays what it already paid for.
 * Calls in flight count toward `maxCalls`; `maxUsd` is checked against settled cost, so
 * concurrent calls can overshoot it by at most what is in flight.
 */
export function createBudgets(sqlite: Database.Database, ledger: Ledger): Budgets {
  const select = sqlite.prepare<[string], { max_usd: number | null; max_calls: number | null }>(
    'SELECT max_usd, max_calls FROM budgets WHERE run_id = ?',
  );
  const upsert = sqlite.prepare(
    `INSERT INTO budgets (run_id, max_usd, max_calls, updated_at) VALUES (?, ?, ?, ?)
     ON CONFLICT(run_id) DO UPDATE SET max_usd = excluded.max_usd, max_calls = excluded.max_calls,
       updated_at = excluded.updated_at`,
  );
  /** null: the run has no budget (looked up once). */
  const states = new Map<string, RunBudgetState | null>();

  const load = (runId: string): RunBudgetState | null => {
    const known = states.get(runId);
    if (known !== undefined) return known;
    const row = select.get(runId);
    const state = row ? fromLedger(row.max_usd, row.max_calls, runId) : null;
    states.set(runId, state);
    return state;
  };
  const fromLedger = (maxUsd: number | null, maxCalls: number | null, runId: string): RunBudgetState => {
    const spend = ledger.spendOf(runId);
    return {
      maxUsd,
      maxCalls,
      paidCalls: spend.paidCalls,
      spentUsd: spend.costUsd,
      unpricedCalls: spend.unpricedCalls,
      inFlight: 0,
      reservedUsd: 0,
    };
  };
  const addPaid = (state: RunBudgetState, costUsd: number | null) => {
    state.paidCalls += 1;
    if (costUsd === null) state.unpricedCalls += 1;
    else state.spentUsd += costUsd;
  };
  const exceededReason = (s: RunBudgetState): string | null => {
    if (s.maxCalls !== null && s.paidCalls + s.inFlight >= s.maxCalls) {
      return `${s.paidCalls} of max ${s.maxCalls} calls used`;
    }
    if (s.maxUsd !== null && s.spentUsd + s.reservedUsd >= s.maxUsd) {
      const reserved = s.reservedUsd > 0 ? ` and $${s.reservedUsd.toFixed(4)} reserved by batches` : '';
      return `$${s.spentUsd.toFixed(4)}${reserved} of max $${s.maxUsd} spent`;
    }
    return null;
  };
  const statusOf = (runId: string, s: RunBudgetState | null): BudgetStatus => ({
    runId,
    maxUsd: s?.maxUsd ?? null,
    maxCalls: s?.maxCalls ?? null,
    spentUsd: s?.spentUsd ?? ledger.spendOf(runId).costUsd,
    paidCalls: s?.paidCalls ?? ledger.spendOf(runId).paidCalls,
    inFlightCalls: s?.inFlight ?? 0,
    reservedUsd: s?.reservedUsd ?? 0,
    unpricedCalls: s?.unpricedCalls ?? ledger.spendOf(runId).unpricedCalls,
    exceeded: s ? exceededReason(s) !== null : false,
  });

  return {
    set({ runId, maxUsd, maxCalls }) {
      upsert.run(runId, maxUsd ?? null, maxCalls ?? null, Date.now());
      const previous = states.get(runId);
      const state = previous
        ? { ...previous, maxUsd: maxUsd ?? null, maxCalls: maxCalls ?? null }
        : fromLedger(maxUsd ?? null, maxCalls ?? null, runId);
      states.set(runId, state);
      return statusOf(runId, state);
    },
    get(runId) {
      return statusOf(runId, load(runId));
    },
    reserve(runId, estimateUsd = 0) {
      const state = load(runId);
      if (!state) return;
      const reason = exceededReason(state);
      if (reason) throw budgetExceeded(runId, reason);
      if (state.maxUsd !== null && state.spentUsd + state.reservedUsd + estimateUsd > state.maxUsd) {
        throw budgetExceeded(
          runId,
          `a batch line estimated at $${estimateUsd.toFixed(4)} would pass max $${state.maxUsd} ($${(state.spentUsd + state.reservedUsd).toFixed(4)} spent or reserved)`,
        );
      }
      state.inFlight += 1;
      state.reservedUsd += estimateUsd;
    },
    settle(runId, outcome, reservedUsd = 0) {
      const state = states.get(runId);
      if (!state) return;
      state.inFlight = Math.max(0, state.inFlight - 1);
      state.reservedUsd = Math.max(0, state.reservedUsd - reservedUsd);
      if (outcome.paid) addPaid(state, outcome.costUsd);
    },
    charge(runId, costUsd) {
      const state = states.get(runId);
      if (state) addPaid(state, costUsd);
    },
  };
}
