import type Database from 'better-sqlite3';

/**
 * Write-behind queue: rows are written in transactions of up to WRITE_CHUNK_ROWS rows, one per
 * turn of the event loop, instead of one implicit transaction per row, which is what lets the
 * in-process path reach thousands of calls per second with cache and ledger writes. A turn
 * that queued more rows than a chunk leaves the rest to the next turns, so one flush never
 * holds the loop for long; readers call `flush()`, which writes everything, before they query.
 * Rows are written in the order they were added, each exactly once.
 *
 * A failed write (disk full, SQLITE_BUSY past the busy timeout, a read-only file) never throws
 * out of a timer: its transaction rolls back, every row stays queued, in order, the failure is
 * reported through `onError` and `failure`, and the write is retried after each of
 * `retryDelaysMs`, then on the next `flush()` or `retry()`.
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

/** The most rows one background write takes: a few milliseconds of the loop. */
export const WRITE_CHUNK_ROWS = 256;
/** Rows queued at which `add` writes them all at once: a bound on what waits in memory. */
const FLUSH_AT_ROWS = 8_000;
const DEFAULT_WRITE_RETRY_DELAYS_MS: readonly number[] = [50, 250, 1_000];

type QueuedRow = [statement: Database.Statement, params: unknown[], afterFlush: (() => void) | undefined];

export function createWriteQueue(sqlite: Database.Database, options: WriteQueueOptions = {}): WriteQueue {
  const label = options.label ?? 'the gateway database';
  const retryDelays = options.retryDelaysMs ?? DEFAULT_WRITE_RETRY_DELAYS_MS;
  let rows: QueuedRow[] = [];
  let scheduled: NodeJS.Immediate | null = null;
  let retryTimer: NodeJS.Timeout | null = null;
  let failure: Error | undefined;
  let failedAttempts = 0;
  let closed = false;
  const writeAll = sqlite.transaction((batch: readonly QueuedRow[]) => {
    for (const [statement, params] of batch) statement.run(...params);
  });

  const cancelTimers = () => {
    if (scheduled) clearImmediate(scheduled);
    if (retryTimer) clearTimeout(retryTimer);
    scheduled = null;
    retryTimer = null;
  };

  /**
   * Writes the first `limit` queued rows in one transaction and schedules the next chunk.
   * Throws the storage error; the rows stay queued (the transaction rolled back).
   */
  const writeNow = (limit: number) => {
    cancelTimers();
    if (rows.length === 0) return;
    const chunk = rows.length <= limit ? rows : rows.slice(0, limit);
    try {
      writeAll(chunk);
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
    rows = chunk === rows ? [] : rows.slice(chunk.length);
    failure = undefined;
    failedAttempts = 0;
    if (rows.length > 0 && !closed) scheduled = setImmediate(attemptChunk);
    for (const [, , afterFlush] of chunk) afterFlush?.();
  };

  const attempt = (limit: number): Error | undefined => {
    try {
      writeNow(limit);
      return undefined;
    } catch {
      const error = failure ?? new Error(`cannot write to ${label}`);
      const delay = retryDelays[failedAttempts - 1];
      if (delay !== undefined && !closed) retryTimer = setTimeout(attemptChunk, delay);
      options.onError?.(error, { rows: rows.length, attempt: failedAttempts, final: delay === undefined });
      return error;
    }
  };
  function attemptChunk(): void {
    attempt(WRITE_CHUNK_ROWS);
  }

  return {
    add(statement, params, afterFlush) {
      if (closed) return;
      rows.push([statement, params, afterFlush]);
      // While a write is failing, rows wait for the scheduled retry instead of a write per row.
      if (failure) return;
      if (rows.length >= FLUSH_AT_ROWS) attempt(Number.POSITIVE_INFINITY);
      else if (!scheduled) scheduled = setImmediate(attemptChunk);
    },
    flush() {
      const error = attempt(Number.POSITIVE_INFINITY);
      if (error) throw error;
    },
    retry: () => attempt(Number.POSITIVE_INFINITY),
    close() {
      try {
        writeNow(Number.POSITIVE_INFINITY);
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
