import type Database from 'better-sqlite3';

/**
 * Write-behind queue: rows are written in one transaction per tick instead of one implicit
 * transaction per row, which is what lets the in-process path reach thousands of calls per
 * second with cache and ledger writes. Readers call `flush()` before they query.
 */
export interface WriteQueue {
  add(statement: Database.Statement, params: unknown[], afterFlush?: () => void): void;
  flush(): void;
  /** Flushes, then drops later rows (calls still settling while the gateway shuts down). */
  close(): void;
  readonly pending: number;
}

const FLUSH_AT_ROWS = 2_000;

export function createWriteQueue(sqlite: Database.Database): WriteQueue {
  let rows: Array<[Database.Statement, unknown[]]> = [];
  let callbacks: Array<() => void> = [];
  let scheduled: NodeJS.Immediate | null = null;
  let closed = false;
  const writeAll = sqlite.transaction((batch: Array<[Database.Statement, unknown[]]>) => {
    for (const [statement, params] of batch) statement.run(...params);
  });

  const flush = () => {
    if (scheduled) clearImmediate(scheduled);
    scheduled = null;
    if (rows.length === 0) return;
    const batch = rows;
    const done = callbacks;
    rows = [];
    callbacks = [];
    writeAll(batch);
    for (const callback of done) callback();
  };

  return {
    add(statement, params, afterFlush) {
      if (closed) return;
      rows.push([statement, params]);
      if (afterFlush) callbacks.push(afterFlush);
      if (rows.length >= FLUSH_AT_ROWS) flush();
      else if (!scheduled) scheduled = setImmediate(flush);
    },
    flush,
    close() {
      flush();
      closed = true;
    },
    get pending() {
      return rows.length;
    },
  };
}
