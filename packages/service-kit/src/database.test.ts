import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import * as schema from '../test/fixtures/notes-schema.js';
import { openDatabase } from './database.js';

const migrationsFolder = fileURLToPath(new URL('../test/fixtures/drizzle', import.meta.url));

describe('openDatabase', () => {
  it('migrates a temp file, sets WAL and foreign keys, and keeps data across reopen', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-db-'));
    const file = path.join(dir, 'nested', 'notes.sqlite');
    const first = openDatabase(file, { migrationsFolder, schema });
    expect(first.sqlite.pragma('journal_mode', { simple: true })).toBe('wal');
    expect(first.sqlite.pragma('foreign_keys', { simple: true })).toBe(1);
    first.db.insert(schema.notes).values({ body: 'kept' }).run();
    first.close();

    const second = openDatabase(file, { migrationsFolder, schema });
    expect(second.db.select().from(schema.notes).all()).toEqual([{ id: 1, body: 'kept' }]);
    const applied = second.sqlite.prepare('select count(*) as n from __drizzle_migrations').get() as {
      n: number;
    };
    expect(applied.n).toBe(1);
    second.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives every :memory: database its own tables', () => {
    const a = openDatabase(':memory:', { migrationsFolder, schema });
    const b = openDatabase(':memory:', { migrationsFolder, schema });
    a.db.insert(schema.notes).values({ body: 'only in a' }).run();
    expect(b.db.select().from(schema.notes).all()).toEqual([]);
    a.close();
    b.close();
  });
});
