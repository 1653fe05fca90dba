import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import type { TaskSpec } from '@metaspo/schemas';
import { openDatabase } from '@metaspo/service-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../src/db/migrations.js';
import { datasetsSchema } from '../src/db/schema.js';
import type { ExampleRow } from '../src/pipeline.js';
import { createStore, type DatasetRecord, type DatasetsDb } from '../src/store.js';

const TASK = 'user_transaction_probe';
const NOW = '2026-01-01T00:00:00.000Z';

function record(contentHash: string): DatasetRecord {
  return {
    taskId: TASK,
    domain: 'user',
    origin: 'import',
    files: [{ path: 'probe.jsonl', sha256: contentHash }],
    recordsRead: 10,
    skipped: [],
    splitMethod: 'test',
    contentHash,
  };
}

function rows(prefix: string, n: number): ExampleRow[] {
  return Array.from({ length: n }, (_, i) => ({
    id: `${prefix}-${i}`,
    taskId: TASK,
    split: i % 2 === 0 ? 'train' : 'test',
    ordinal: i,
    question: `${prefix} question ${i}`,
    answer: `${prefix} answer ${i}`,
    acceptedAnswers: null,
    options: null,
  }));
}

const spec = (description: string): TaskSpec => ({
  id: TASK,
  domain: 'user',
  description,
  initialUserPrompt: 'Q: {question}',
  answerType: { kind: 'free-text' },
  answerFormat: 'tagged',
  metric: 'exact-match',
  importer: 'jsonl',
  available: true,
});

/**
 * A real SQLite file with a trigger that raises on the 6th example insert of the second
 * import: the store must roll the whole import back, not keep the rows written before it.
 */
describe('an import is one transaction', () => {
  let dir: string;
  let database: DatasetsDb;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'metaspo-import-tx-'));
    database = openDatabase(path.join(dir, 'datasets.sqlite'), { migrationsFolder, schema: datasetsSchema });
  });
  afterEach(() => {
    database.sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('a write failing half-way leaves the previous import, its examples and its spec untouched', () => {
    const store = createStore(database);
    store.replaceDataset(record('first'), rows('first', 10), spec('first spec'), NOW);

    database.sqlite.exec(`
      CREATE TRIGGER fail_sixth_insert BEFORE INSERT ON examples
      WHEN NEW.id = 'second-5'
      BEGIN SELECT RAISE(ABORT, 'planted failure on the sixth row'); END;
    `);
    expect(() =>
      store.replaceDataset(record('second'), rows('second', 10), spec('second spec'), NOW),
    ).toThrow(/planted failure on the sixth row/);

    expect(store.dataset(TASK)?.contentHash).toBe('first');
    expect(store.allExamples(TASK).map((e) => e.id)).toEqual(rows('first', 10).map((r) => r.id));
    expect(store.userTask(TASK)?.spec.description).toBe('first spec');
    expect(store.counts()).toEqual({ datasets: 1, examples: 10, userTasks: 1 });
  });

  it('a first import failing half-way leaves nothing behind', () => {
    const store = createStore(database);
    database.sqlite.exec(`
      CREATE TRIGGER fail_sixth_insert BEFORE INSERT ON examples
      WHEN NEW.id = 'second-5'
      BEGIN SELECT RAISE(ABORT, 'planted failure on the sixth row'); END;
    `);
    expect(() =>
      store.replaceDataset(record('second'), rows('second', 10), spec('second spec'), NOW),
    ).toThrow(/planted failure/);
    expect(store.counts()).toEqual({ datasets: 0, examples: 0, userTasks: 0 });
  });
});
