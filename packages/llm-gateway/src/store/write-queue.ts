import type Database from 'better-sqlite3';

/**
 * Write-behind queue: rows are written in one transaction per tick instead of one implicit
 * transaction per row, which is what lets the in-process path reach thousands of calls per
 * second with cache and ledger writes. Readers call `flush()` before they query.
 *
 * A failed write (disk full, SQLITE_BUSY past the busy timeout, a read-only file) never throws
 * out of a timer: the rows stay queued, in order, the failure is reported through `onError`
 * and `failure`, and the write is retried after each of `retryDelaysMs`, then on the next
 * `flush()` or `retry()`.
 */
export interface WriteQueue {
  /** Never throws: a row that cannot be written now stays queued. */
  add(statement: Database.Statement, params: unknown[], afterFlush?: () => void): void;
  /** Writes every queued row now; throws the storage error when they cannot be written. */
  flush(): void;
  /** One write attempt now; the failure, if any, is reported and returned, not thrown. */
  retry(): Error | undefined;
  /** Flushes (throwing on failure), then drops later rows (calls settling during shutdown). */
  close(): void;
  readonly pending: number;
  /** The error of the last failed write, until a write succeeds. */
  readonly failure: Error | undefined;
}

export interface WriteFailure {
  /** Rows still queued. */
  rows: number;
  /** Failed attempts in a row, 1 for the first. */
  attempt: number;
  /** No retry is scheduled: the rows wait for the next flush, retry or call. */
  final: boolean;
}

export interface WriteQueueOptions {
  /** What the error messages call the file. */
  label?: string;
  /** Delays before the retries of a failed background write. */
  retryDelaysMs?: readonly number[];
  onError?: (error: Error, failure: WriteFailure) => void;
}

const FLUSH_AT_ROWS = 2_000;
export const DEFAULT_WRITE_RETRY_DELAYS_MS: readonly number[] = [50, 250, 1_000];

export function createWriteQueue(sqlite: Database.Database, options: WriteQueueOptions = {}): WriteQueue {
  const label = options.label ?? 'the gateway database';
  const retryDelays = options.retryDelaysMs ?? DEFAULT_WRITE_RETRY_DELAYS_MS;
  let rows: Array<[Database.Statement, unknown[]]> = [];
  let callbacks: Array<() => void> = [];
  let scheduled: NodeJS.Immediate | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let failure: Error | undefined;
  let failedAttempts = 0;
  let closed = false;
  const writeAll = sqlite.transaction((batch: Array<[Database.Statement, unknown[]]>) => {
    for (const [statement, params] of batch) statement.run(...params);
  });

  const cancelTimers = () => {
    if (scheduled) clearImmediate(scheduled);
    if (retryTimer) clearTimeout(retryTimer);
    scheduled = null;
    retryTimer = null;
  };

  /** Throws the storage error; the rows stay queued (the transaction rolled back). */
  const writeNow = () => {
    cancelTimers();
    if (rows.length === 0) return;
    try {
      writeAll(rows);
    } catch (thrown) {
      failedAttempts += 1;
      const reason = thrown instanceof Error ? thrown.message : String(thrown);
      const code = (thrown as { code?: unknown }).code;
      failure = new Error(
        `cannot write ${rows.length} queued cache and ledger rows to ${label}: ${reason}${typeof code === 'string' ? ` (${code})` : ''}`,
        { cause: thrown },
      );
      throw failure;
    }
    const done = callbacks;
    rows = [];
    callbacks = [];
    failure = undefined;
    failedAttempts = 0;
    for (const callback of done) callback();
  };

  const attempt = (): Error | undefined => {
    try {
      writeNow();
      return undefined;
    } catch {
      const error = failure ?? new Error(`cannot write to ${label}`);
      const delay = retryDelays[failedAttempts - 1];
      if (delay !== undefined && !closed) retryTimer = setTimeout(attempt, delay);
      options.onError?.(error, { rows: rows.length, attempt: failedAttempts, final: delay === undefined });
      return error;
    }
  };

  return {
    add(statement, params, afterFlush) {
      if (closed) return;
      rows.push([statement, params]);
      if (afterFlush) callbacks.push(afterFlush);
      // While a write is failing, rows wait for the scheduled retry instead of a write per row.
      if (failure) return;
      if (rows.length >= FLUSH_AT_ROWS) attempt();
      else if (!scheduled) scheduled = setImmediate(attempt);
    },
    flush() {
      const error = attempt();
      if (error) throw error;
    },
    retry: attempt,
    close() {
      try {
        writeNow();
      } finally {
        cancelTimers();
        closed = true;
      }
    },
    get pending() {
      return rows.length;
    },
    get failure() {
      return failure;
    },
  };
}
