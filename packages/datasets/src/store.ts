import type { DatasetSummary, Example, SkippedRecords, Split, TaskSpec } from '@metaspo/schemas';
import type { OpenedDatabase } from '@metaspo/service-kit';
import { and, asc, count, eq, or, sql } from 'drizzle-orm';
import { datasets, type datasetsSchema, examples, userTasks } from './db/schema.js';
import type { ExampleRow } from './pipeline.js';

export type DatasetsDb = OpenedDatabase<typeof datasetsSchema>;
type DatasetRow = typeof datasets.$inferSelect;
type StoredExample = typeof examples.$inferSelect;

export interface DatasetRecord {
  taskId: string;
  domain: string;
  origin: DatasetSummary['origin'];
  files: Array<{ path: string; sha256: string }>;
  recordsRead: number;
  skipped: SkippedRecords[];
  splitMethod: string;
  contentHash: string;
}

/** What identifies a stored dataset's content: any re-import that changes examples changes it. */
export type DatasetVersionRow = Pick<DatasetRow, 'contentHash' | 'trainCount' | 'testCount' | 'splitMethod'>;

/** An examples row as SQLite returns it: list columns still JSON text. */
type RawExampleRow = Omit<StoredExample, 'acceptedAnswers' | 'options'> & {
  acceptedAnswers: string | null;
  options: string | null;
};

const parseList = (json: string | null): string[] | null =>
  json === null ? null : (JSON.parse(json) as string[]);

export function toSummary(row: DatasetRow): DatasetSummary {
  return {
    taskId: row.taskId,
    domain: row.domain,
    origin: row.origin,
    files: row.files,
    recordsRead: row.recordsRead,
    counts: { train: row.trainCount, test: row.testCount },
    skipped: row.skipped,
    splitMethod: row.splitMethod,
    contentHash: row.contentHash,
    importedAt: row.importedAt,
  };
}

function toExample(row: StoredExample): Example {
  return {
    id: row.id,
    taskId: row.taskId,
    split: row.split,
    question: row.question,
    answer: row.answer,
    ...(row.acceptedAnswers ? { acceptedAnswers: row.acceptedAnswers } : {}),
    ...(row.options ? { options: row.options } : {}),
  };
}

function fromRawRow(row: RawExampleRow): Example {
  return toExample({
    ...row,
    acceptedAnswers: parseList(row.acceptedAnswers),
    options: parseList(row.options),
  });
}

export function createStore(database: DatasetsDb) {
  const { db, sqlite } = database;
  const insertExample = sqlite.prepare(
    `INSERT INTO examples (id, task_id, split, ordinal, question, answer, accepted_answers, options)
     VALUES (@id, @taskId, @split, @ordinal, @question, @answer, @acceptedAnswers, @options)`,
  );

  // The sample path runs once per evaluated prompt pair: one prepared statement for any number
  // of ids (a JSON array parameter) instead of a query built per chunk.
  const selectExamplesByIds = sqlite.prepare<[string], RawExampleRow>(
    `SELECT id, task_id AS taskId, split, ordinal, question, answer,
       accepted_answers AS acceptedAnswers, options
     FROM examples WHERE id IN (SELECT value FROM json_each(?))`,
  );

  // Gold answers of a whole task (the simulator's answer key): read without the query builder,
  // which cost more than the read itself for a few thousand rows.
  const selectTaskExamples = sqlite.prepare<[string], RawExampleRow>(
    `SELECT id, task_id AS taskId, split, ordinal, question, answer,
       accepted_answers AS acceptedAnswers, options
     FROM examples WHERE task_id = ? ORDER BY ordinal`,
  );
  const selectDatasetVersion = sqlite.prepare<[string], DatasetVersionRow>(
    `SELECT content_hash AS contentHash, train_count AS trainCount, test_count AS testCount,
       split_method AS splitMethod
     FROM datasets WHERE task_id = ?`,
  );

  /**
   * Replaces a task's dataset (and, for user data, its spec) in one transaction with prepared
   * bulk inserts: either everything is stored or nothing changes.
   */
  const replaceInTransaction = sqlite.transaction(
    (record: DatasetRecord, rows: ExampleRow[], userSpec: TaskSpec | null, now: string) => {
      db.delete(datasets).where(eq(datasets.taskId, record.taskId)).run();
      if (userSpec) {
        db.insert(userTasks)
          .values({ id: userSpec.id, domain: userSpec.domain, spec: userSpec, createdAt: now })
          .onConflictDoUpdate({ target: userTasks.id, set: { domain: userSpec.domain, spec: userSpec } })
          .run();
      }
      const counts = { train: 0, test: 0 };
      for (const row of rows) counts[row.split] += 1;
      db.insert(datasets)
        .values({ ...record, trainCount: counts.train, testCount: counts.test, importedAt: now })
        .run();
      for (const row of rows) {
        insertExample.run({
          ...row,
          acceptedAnswers: row.acceptedAnswers ? JSON.stringify(row.acceptedAnswers) : null,
          options: row.options ? JSON.stringify(row.options) : null,
        });
      }
    },
  );

  return {
    replaceDataset: (
      record: DatasetRecord,
      rows: ExampleRow[],
      userSpec: TaskSpec | null,
      now: string,
    ): void => {
      replaceInTransaction(record, rows, userSpec, now);
    },
    dataset: (taskId: string) => db.select().from(datasets).where(eq(datasets.taskId, taskId)).get(),
    datasets: () => db.select().from(datasets).orderBy(asc(datasets.domain), asc(datasets.taskId)).all(),
    userTasks: () => db.select().from(userTasks).orderBy(asc(userTasks.id)).all(),
    userTask: (id: string) => db.select().from(userTasks).where(eq(userTasks.id, id)).get(),

    /** Example ids of a split in source order: the stable start of every shuffle. */
    exampleIds(taskId: string, split: Split): string[] {
      return db
        .select({ id: examples.id })
        .from(examples)
        .where(and(eq(examples.taskId, taskId), eq(examples.split, split)))
        .orderBy(asc(examples.ordinal))
        .all()
        .map((r) => r.id);
    },

    examplesByIds(ids: readonly string[]): Example[] {
      const byId = new Map<string, Example>();
      for (const row of selectExamplesByIds.all(JSON.stringify(ids))) byId.set(row.id, fromRawRow(row));
      return ids.map((id) => byId.get(id)!);
    },

    /** The version fields of a task's stored dataset, or undefined when none is stored. */
    datasetVersion: (taskId: string): DatasetVersionRow | undefined => selectDatasetVersion.get(taskId),

    page(query: {
      taskId: string;
      split?: Split | undefined;
      offset: number;
      limit: number;
      search?: string | undefined;
    }) {
      const { taskId, split, offset, limit, search } = query;
      // LIKE is case-insensitive for ASCII in SQLite; `\` escapes the user's own % and _.
      const pattern = search ? `%${search.replace(/[\\%_]/g, (c) => `\\${c}`)}%` : undefined;
      const where = and(
        eq(examples.taskId, taskId),
        split ? eq(examples.split, split) : undefined,
        pattern
          ? or(
              sql`${examples.question} like ${pattern} escape '\\'`,
              sql`${examples.answer} like ${pattern} escape '\\'`,
            )
          : undefined,
      );
      const total = db.select({ n: count() }).from(examples).where(where).get()?.n ?? 0;
      const rows = db
        .select()
        .from(examples)
        .where(where)
        .orderBy(asc(examples.ordinal))
        .limit(limit)
        .offset(offset)
        .all();
      return { items: rows.map(toExample), total };
    },

    allExamples(taskId: string): Example[] {
      return selectTaskExamples.all(taskId).map(fromRawRow);
    },

    counts: () => ({
      datasets: db.select({ n: count() }).from(datasets).get()?.n ?? 0,
      examples: db.select({ n: count() }).from(examples).get()?.n ?? 0,
      userTasks: db.select({ n: count() }).from(userTasks).get()?.n ?? 0,
    }),
  };
}

export type Store = ReturnType<typeof createStore>;
