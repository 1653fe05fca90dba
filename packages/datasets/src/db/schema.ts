import type { SkippedRecords, TaskSpec } from '@metaspo/schemas';
import { index, integer, sqliteTable, text } from 'drizzle-orm/sqlite-core';

/** Task specs the user brought with `import`; the built-in catalog lives in code. */
export const userTasks = sqliteTable('user_tasks', {
  id: text('id').primaryKey(),
  domain: text('domain').notNull(),
  spec: text('spec', { mode: 'json' }).$type<TaskSpec>().notNull(),
  createdAt: text('created_at').notNull(),
});

/** One imported dataset per task: where it came from and what the import skipped. */
export const datasets = sqliteTable('datasets', {
  taskId: text('task_id').primaryKey(),
  domain: text('domain').notNull(),
  origin: text('origin', { enum: ['fetch', 'import', 'procedural'] }).notNull(),
  files: text('files', { mode: 'json' }).$type<Array<{ path: string; sha256: string }>>().notNull(),
  recordsRead: integer('records_read').notNull(),
  trainCount: integer('train_count').notNull(),
  testCount: integer('test_count').notNull(),
  skipped: text('skipped', { mode: 'json' }).$type<SkippedRecords[]>().notNull(),
  splitMethod: text('split_method').notNull(),
  /** Hash of the source bytes and the importer version: equal hash, nothing to do. */
  contentHash: text('content_hash').notNull(),
  importedAt: text('imported_at').notNull(),
});

export const examples = sqliteTable(
  'examples',
  {
    id: text('id').primaryKey(),
    taskId: text('task_id')
      .notNull()
      .references(() => datasets.taskId, { onDelete: 'cascade' }),
    split: text('split', { enum: ['train', 'test'] }).notNull(),
    /** Position in the source files: the stable order every sample starts from. */
    ordinal: integer('ordinal').notNull(),
    question: text('question').notNull(),
    answer: text('answer').notNull(),
    acceptedAnswers: text('accepted_answers', { mode: 'json' }).$type<string[]>(),
    options: text('options', { mode: 'json' }).$type<string[]>(),
  },
  (table) => [index('examples_task_split_ordinal').on(table.taskId, table.split, table.ordinal)],
);

/** What a protocol file holds once parsed (the JSON of `protocol_assets.content`). */
export type ProtocolAssetContent =
  | { kind: 'system-prompt'; prompt: string }
  | { kind: 'user-prompts'; prompts: string[] }
  | { kind: 'component-corpus'; components: Array<{ text: string; category: string }> };

/**
 * The reference protocol's files (fixed system prompts, unseen-task user prompts, SPRIG's
 * component corpus), one row per pinned file, parsed. Written by `fetch` in one transaction.
 */
export const protocolAssets = sqliteTable('protocol_assets', {
  /** `system-prompt:<label>`, `user-prompts:<task id>` or `component-corpus`. */
  id: text('id').primaryKey(),
  kind: text('kind', { enum: ['system-prompt', 'user-prompts', 'component-corpus'] }).notNull(),
  repository: text('repository').notNull(),
  commit: text('commit').notNull(),
  path: text('path').notNull(),
  sha256: text('sha256').notNull(),
  records: integer('records').notNull(),
  content: text('content', { mode: 'json' }).$type<ProtocolAssetContent>().notNull(),
  /** Hash of the pinned sha256 and the parser version: equal hash, nothing to do. */
  contentHash: text('content_hash').notNull(),
  importedAt: text('imported_at').notNull(),
});
export const datasetsSchema = { userTasks, datasets, examples, protocolAssets };
