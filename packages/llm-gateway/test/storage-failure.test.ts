import { Writable } from 'node:stream';
import { createLogger } from '@metaspo/service-kit';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlmGatewayService } from '../src/service.js';
import { createWriteQueue, type WriteFailure } from '../src/store/write-queue.js';
import { ARITHMETIC_KEY, request, simProviders, tempDatabaseFile, waitFor } from './helpers.js';

const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) db.close();
});

function openFile(file: string): Database.Database {
  const db = new Database(file);
  opened.push(db);
  return db;
}

/** A pino destination keeping each JSON line. */
function capturedLog() {
  const lines: Array<{ level: number; msg: string; final?: boolean }> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      for (const line of String(chunk).split('\n').filter(Boolean)) lines.push(JSON.parse(line));
      done();
    },
  });
  return { lines, logger: createLogger({ name: 'test', destination }) };
}

describe('write queue on a database that stops accepting writes', () => {
  it('keeps the rows, reports each failed retry, never throws from its timer, and writes them once it can', async () => {
    const db = openFile(tempDatabaseFile());
    db.exec('CREATE TABLE t (v INTEGER)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const failures: WriteFailure[] = [];
    const queue = createWriteQueue(db, {
      label: 'test.sqlite',
      retryDelaysMs: [5, 5],
      onError: (_error, failure) => failures.push(failure),
    });
    let written = 0;
    db.pragma('query_only = ON');
    queue.add(insert, [1], () => {
      written += 1;
    });
    queue.add(insert, [2]);
    // The first write plus two retries, then it waits.
    await waitFor(() => failures.length === 3);
    expect(failures.map((f) => [f.attempt, f.final, f.rows])).toEqual([
      [1, false, 2],
      [2, false, 2],
      [3, true, 2],
    ]);
    expect(queue.failure?.message).toMatch(
      /cannot write 2 queued cache and ledger rows to test\.sqlite: .*readonly/,
    );
    expect(() => queue.flush()).toThrow(/cannot write 2 queued/);
    expect(queue.pending).toBe(2);
    expect(written).toBe(0);

    db.pragma('query_only = OFF');
    expect(queue.retry()).toBeUndefined();
    expect(queue.failure).toBeUndefined();
    expect(written).toBe(1);
    expect(db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all()).toEqual([1, 2]);
  });
});

describe('gateway whose ledger cannot be written', () => {
  it('logs the failure, refuses calls with UNAVAILABLE while it lasts, and loses no row', async () => {
    const databaseFile = tempDatabaseFile();
    const log = capturedLog();
    const service = createLlmGatewayService({
      databaseFile,
      providers: simProviders(ARITHMETIC_KEY),
      logger: log.logger,
      writeRetryDelaysMs: [5],
    });
    await service.complete(request({ content: 'first' }));
    service.flush();
    // Another connection moves the ledger away under the queue: every write now fails.
    const other = openFile(databaseFile);
    other.exec('ALTER TABLE ledger RENAME TO ledger_moved');
    const second = await service.complete(request({ content: 'second' }));
    expect(second.text.length).toBeGreaterThan(0);
    await waitFor(() => log.lines.some((line) => line.final === true));
    expect(log.lines.filter((line) => line.level === 50).map((line) => line.msg)).toEqual([
      expect.stringMatching(/cannot write 2 queued .*no such table: ledger.*retrying/),
      expect.stringMatching(/cannot write 2 queued .*calls are refused until a write succeeds/),
    ]);
    expect(service.health().ok).toBe(false);
    await expect(service.complete(request({ content: 'third' }))).rejects.toMatchObject({
      code: 'UNAVAILABLE',
      message: expect.stringContaining('no such table: ledger'),
    });
    const [outcome] = await service.completeBatch([request({ content: 'third' })]);
    expect(outcome).toMatchObject({
      ok: false,
      error: { message: expect.stringContaining('refuses calls') },
    });

    other.exec('ALTER TABLE ledger_moved RENAME TO ledger');
    await service.complete(request({ content: 'third' }));
    expect(service.health().ok).toBe(true);
    expect(service.usage().totals.calls).toBe(3);
    expect(service.cacheStats().entries).toBe(3);
    await service.close();
  });

  it('close() rejects with a write it cannot make instead of dropping it silently', async () => {
    const databaseFile = tempDatabaseFile();
    const log = capturedLog();
    const service = createLlmGatewayService({
      databaseFile,
      providers: simProviders(ARITHMETIC_KEY),
      logger: log.logger,
      writeRetryDelaysMs: [],
    });
    service.flush();
    openFile(databaseFile).exec('ALTER TABLE ledger RENAME TO ledger_moved');
    const pending = service.complete(request({ content: 'during close' }));
    await pending;
    await expect(service.close()).rejects.toThrow(/no such table: ledger/);
    expect(log.lines.some((line) => line.final === true)).toBe(true);
    await expect(service.close()).resolves.toBeUndefined();
  });
});
