import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createWriteQueue, WRITE_CHUNK_ROWS, type WriteFailure } from '../src/store/write-queue.js';
import { tempDatabaseFile, waitFor } from './helpers.js';

const opened: Database.Database[] = [];
afterEach(() => {
  for (const db of opened.splice(0)) if (db.open) db.close();
});

function openWal(file: string): Database.Database {
  const db = new Database(file);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  opened.push(db);
  return db;
}

const nextTurn = () => new Promise<void>((resolve) => setImmediate(resolve));

describe('write queue chunks', () => {
  it('writes one chunk per turn, in the order rows were added, and calls back each row once written', async () => {
    const db = openWal(tempDatabaseFile());
    db.exec('CREATE TABLE t (v INTEGER)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const stored = () => db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all();
    const queue = createWriteQueue(db);
    const total = WRITE_CHUNK_ROWS * 2 + 10;
    const calledBack: number[] = [];
    for (let v = 0; v < total; v += 1) queue.add(insert, [v], () => calledBack.push(v));

    await nextTurn();
    expect(stored()).toEqual(Array.from({ length: WRITE_CHUNK_ROWS }, (_, v) => v));
    expect(calledBack).toEqual(stored());
    expect(queue.pending).toBe(total - WRITE_CHUNK_ROWS);

    await waitFor(() => queue.pending === 0);
    const all = Array.from({ length: total }, (_, v) => v);
    expect(stored()).toEqual(all);
    expect(calledBack).toEqual(all);
    queue.close();
  });

  it('a chunk that fails midway rolls back whole, keeps every row queued in order and loses none', async () => {
    const db = openWal(tempDatabaseFile());
    db.exec(`CREATE TABLE t (v INTEGER);
      CREATE TABLE broken (v INTEGER);
      CREATE TRIGGER refuse BEFORE INSERT ON t WHEN NEW.v IN (SELECT v FROM broken)
        BEGIN SELECT RAISE(ABORT, 'disk gave up'); END;`);
    const failAt = WRITE_CHUNK_ROWS + 100;
    db.prepare('INSERT INTO broken (v) VALUES (?)').run(failAt);
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const stored = () => db.prepare('SELECT v FROM t ORDER BY rowid').pluck().all();
    const failures: WriteFailure[] = [];
    const queue = createWriteQueue(db, {
      retryDelaysMs: [],
      onError: (_error, failure) => failures.push(failure),
    });
    const total = WRITE_CHUNK_ROWS * 3;
    for (let v = 0; v < total; v += 1) queue.add(insert, [v]);

    await waitFor(() => failures.length === 1);
    // The first chunk is stored; the second stopped at its 101st row and left nothing behind.
    expect(stored()).toEqual(Array.from({ length: WRITE_CHUNK_ROWS }, (_, v) => v));
    expect(failures[0]).toEqual({ rows: total - WRITE_CHUNK_ROWS, attempt: 1, final: true });
    expect(queue.failure?.message).toMatch(/disk gave up/);
    expect(queue.pending).toBe(total - WRITE_CHUNK_ROWS);
    // Rows added while the write fails wait behind the queued ones.
    queue.add(insert, [total]);

    db.exec('DELETE FROM broken');
    expect(queue.retry()).toBeUndefined();
    expect(stored()).toEqual(Array.from({ length: total + 1 }, (_, v) => v));
    expect(queue.pending).toBe(0);
    queue.close();
  });

  it('flush writes every queued row at once, past the chunk size', () => {
    const db = openWal(tempDatabaseFile());
    db.exec('CREATE TABLE t (v INTEGER)');
    const insert = db.prepare('INSERT INTO t (v) VALUES (?)');
    const queue = createWriteQueue(db);
    for (let v = 0; v < WRITE_CHUNK_ROWS * 3; v += 1) queue.add(insert, [v]);
    queue.flush();
    expect(db.prepare('SELECT count(*) FROM t').pluck().get()).toBe(WRITE_CHUNK_ROWS * 3);
    expect(queue.pending).toBe(0);
    queue.close();
  });
});
