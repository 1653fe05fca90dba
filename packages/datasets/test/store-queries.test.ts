import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { openDatabase } from '@metaspo/service-kit';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { migrationsFolder } from '../src/db/migrations.js';
import { datasetsSchema } from '../src/db/schema.js';
import type { ExampleRow } from '../src/pipeline.js';
import { createStore, type DatasetsDb, toSummary } from '../src/store.js';

const TASK = 'store_queries_probe';

const row = (ordinal: number, fields: Partial<ExampleRow> = {}): ExampleRow => ({
  id: `${TASK}-${ordinal}`,
  taskId: TASK,
  split: ordinal < 3 ? 'train' : 'test',
  ordinal,
  question: `question ${ordinal}`,
  answer: `answer ${ordinal}`,
  acceptedAnswers: null,
  options: null,
  ...fields,
});

const ROWS: ExampleRow[] = [
  row(0, { options: ['red', 'blue'], answer: 'A' }),
  row(1, { acceptedAnswers: ['Paris', 'paris, France'] }),
  row(2, { question: 'a 50% discount' }),
  row(3, { question: 'a 500 discount' }),
  row(4, { question: 'snake_case names' }),
  row(5, { question: 'snakeXcase names' }),
  row(6),
];

describe('the datasets store on a real SQLite file', () => {
  let dir: string;
  let database: DatasetsDb;
  let store: ReturnType<typeof createStore>;

  beforeEach(() => {
    dir = mkdtempSync(path.join(tmpdir(), 'metaspo-store-queries-'));
    database = openDatabase(path.join(dir, 'datasets.sqlite'), { migrationsFolder, schema: datasetsSchema });
    store = createStore(database);
    store.replaceDataset(
      {
        taskId: TASK,
        domain: 'user',
        origin: 'import',
        files: [{ path: 'probe.jsonl', sha256: 'abc' }],
        recordsRead: ROWS.length,
        skipped: [],
        splitMethod: 'test',
        contentHash: 'abc',
      },
      ROWS,
      null,
      '2026-01-01T00:00:00.000Z',
    );
  });
  afterEach(() => {
    database.sqlite.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('summarises the counts per split it stored', () => {
    const stored = store.dataset(TASK);
    expect(stored && toSummary(stored).counts).toEqual({ train: 3, test: 4 });
  });

  it('returns options and accepted answers as lists, and leaves them out where there are none', () => {
    const [withOptions, withAccepted, plain] = store.examplesByIds([`${TASK}-0`, `${TASK}-1`, `${TASK}-6`]);
    expect(withOptions).toEqual({
      id: `${TASK}-0`,
      taskId: TASK,
      split: 'train',
      question: 'question 0',
      answer: 'A',
      options: ['red', 'blue'],
    });
    expect(withAccepted?.acceptedAnswers).toEqual(['Paris', 'paris, France']);
    expect(withAccepted && 'options' in withAccepted).toBe(false);
    expect(plain && ('options' in plain || 'acceptedAnswers' in plain)).toBe(false);
  });

  it("searches % and _ as the user's own characters, not as LIKE wildcards", () => {
    const search = (text: string) =>
      store.page({ taskId: TASK, offset: 0, limit: 10, search: text }).items.map((e) => e.question);
    expect(search('0%')).toEqual(['a 50% discount']);
    expect(search('snake_case')).toEqual(['snake_case names']);
    expect(search('DISCOUNT')).toEqual(['a 50% discount', 'a 500 discount']);
    expect(store.page({ taskId: TASK, offset: 0, limit: 10, search: 'no such text' }).total).toBe(0);
  });
});
