import { index, integer, primaryKey, real, sqliteTable, text } from 'drizzle-orm/sqlite-core';

export const evaluations = sqliteTable(
  'evaluations',
  {
    /** Insertion order, for listing newest first without relying on clock resolution. */
    seq: integer('seq').primaryKey({ autoIncrement: true }),
    id: text('id').notNull().unique(),
    taskId: text('task_id').notNull(),
    split: text('split', { enum: ['train', 'test'] }).notNull(),
    model: text('model').notNull(),
    metric: text('metric', {
      enum: ['accuracy', 'macro-f1', 'exact-match', 'contains', 'token-f1'],
    }).notNull(),
    score: real('score').notNull(),
    correct: integer('correct').notNull(),
    n: integer('n').notNull(),
    promptTokens: integer('prompt_tokens').notNull(),
    completionTokens: integer('completion_tokens').notNull(),
    calls: integer('calls').notNull(),
    cachedCalls: integer('cached_calls').notNull(),
    systemPrompt: text('system_prompt').notNull(),
    userPrompt: text('user_prompt').notNull(),
    systemPlacement: text('system_placement', { enum: ['system', 'user-prefix'] }).notNull(),
    seed: integer('seed').notNull(),
    temperature: real('temperature').notNull(),
    sampleIndex: integer('sample_index').notNull(),
    runId: text('run_id'),
    scoring: text('scoring', { enum: ['strict', 'lenient'] })
      .notNull()
      .default('strict'),
    formatFailures: integer('format_failures').notNull().default(0),
    createdAt: text('created_at').notNull(),
  },
  (t) => [index('evaluations_run_idx').on(t.runId), index('evaluations_task_idx').on(t.taskId)],
);

export const evaluationItems = sqliteTable(
  'evaluation_items',
  {
    evaluationSeq: integer('evaluation_seq')
      .notNull()
      .references(() => evaluations.seq, { onDelete: 'cascade' }),
    position: integer('position').notNull(),
    exampleId: text('example_id').notNull(),
    question: text('question').notNull(),
    gold: text('gold').notNull(),
    response: text('response').notNull(),
    prediction: text('prediction'),
    valid: integer('valid', { mode: 'boolean' }).notNull(),
    correct: integer('correct', { mode: 'boolean' }).notNull(),
    error: text('error'),
  },
  (t) => [primaryKey({ columns: [t.evaluationSeq, t.position] })],
);

export const evaluatorSchema = { evaluations, evaluationItems };
