import type {
  EvaluationItem,
  EvaluationRequest,
  EvaluationResult,
  EvaluationSummary,
  ItemOutcome,
  Metric,
  TokenUsage,
} from '@metaspo/schemas';
import { notFound, type OpenedDatabase } from '@metaspo/service-kit';
import { and, desc, eq, type SQL } from 'drizzle-orm';
import { type evaluationItems, evaluations, type evaluatorSchema } from './db/schema.js';

type EvaluatorDatabase = OpenedDatabase<typeof evaluatorSchema>;

/** What an evaluation stores besides its items: the request that produced it and its totals. */
interface EvaluationRecord {
  id: string;
  request: EvaluationRequest;
  metric: Metric;
  score: number;
  correct: number;
  usage: TokenUsage;
  calls: number;
  cachedCalls: number;
  formatFailures: number;
  createdAt: string;
}

type EvaluationInsertRow = Omit<typeof evaluations.$inferInsert, 'seq'>;
type ItemInsertRow = [
  evaluationSeq: number,
  position: number,
  exampleId: string,
  question: string,
  gold: string,
  response: string,
  prediction: string | null,
  valid: 0 | 1,
  correct: 0 | 1,
  error: string | null,
];

type EvaluationRow = typeof evaluations.$inferSelect;

function summaryOf(row: EvaluationRow): EvaluationSummary {
  return {
    id: row.id,
    taskId: row.taskId,
    split: row.split,
    model: row.model,
    metric: row.metric,
    score: row.score,
    correct: row.correct,
    n: row.n,
    usage: { promptTokens: row.promptTokens, completionTokens: row.completionTokens },
    calls: row.calls,
    cachedCalls: row.cachedCalls,
    systemPrompt: row.systemPrompt,
    userPrompt: row.userPrompt,
    ...(row.runId === null ? {} : { runId: row.runId }),
    scoring: row.scoring,
    formatFailures: row.formatFailures,
    createdAt: row.createdAt,
  };
}

/** An items row as SQLite returns it: the boolean columns still 0 or 1. */
type RawItemRow = Omit<
  typeof evaluationItems.$inferSelect,
  'evaluationSeq' | 'position' | 'valid' | 'correct'
> & {
  valid: 0 | 1;
  correct: 0 | 1;
};

function itemOf(row: RawItemRow): EvaluationItem {
  return {
    exampleId: row.exampleId,
    question: row.question,
    gold: row.gold,
    response: row.response,
    prediction: row.prediction,
    valid: row.valid === 1,
    correct: row.correct === 1,
    ...(row.error === null ? {} : { error: row.error }),
  };
}

interface StoredEvaluation {
  summary: EvaluationSummary;
  request: Pick<EvaluationRequest, 'systemPrompt' | 'userPrompt' | 'systemPlacement'>;
}

interface EvaluationListFilter {
  taskId?: string;
  runId?: string;
  limit: number;
  offset: number;
}

export interface EvaluationStore {
  /** One transaction per evaluation: it is stored whole or not at all. */
  insert(record: EvaluationRecord, items: readonly EvaluationItem[]): void;
  get(id: string): EvaluationResult;
  /** The evaluation's prompts and its wrong items, in item order. */
  wrongItems(id: string): { stored: StoredEvaluation; items: EvaluationItem[] };
  /** Each item's outcome (right, failed call), in item order. */
  outcomes(id: string): ItemOutcome[];
  list(filter: EvaluationListFilter): EvaluationSummary[];
}

/** The evaluator's tables; only this service reads them. */
export function createEvaluationStore(database: EvaluatorDatabase): EvaluationStore {
  const { db } = database;

  // The write path runs for every evaluation the optimizer makes: prepared statements in one
  // transaction, since building each insert through the query builder cost ~100 µs per item.
  const insertEvaluation = database.sqlite.prepare<EvaluationInsertRow, { seq: number }>(
    `INSERT INTO evaluations (id, task_id, split, model, metric, score, correct, n, prompt_tokens,
       completion_tokens, calls, cached_calls, system_prompt, user_prompt, system_placement, seed,
       temperature, sample_index, run_id, scoring, format_failures, created_at)
     VALUES (@id, @taskId, @split, @model, @metric, @score, @correct, @n, @promptTokens,
       @completionTokens, @calls, @cachedCalls, @systemPrompt, @userPrompt, @systemPlacement, @seed,
       @temperature, @sampleIndex, @runId, @scoring, @formatFailures, @createdAt)
     RETURNING seq`,
  );
  const insertItem = database.sqlite.prepare<ItemInsertRow>(
    `INSERT INTO evaluation_items (evaluation_seq, position, example_id, question, gold, response,
       prediction, valid, correct, error)
     VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
  );

  const insert = database.sqlite.transaction((record: EvaluationRecord, items: readonly EvaluationItem[]) => {
    const { request } = record;
    const { seq } = insertEvaluation.get({
      id: record.id,
      taskId: request.taskId,
      split: request.split,
      model: request.model,
      metric: record.metric,
      score: record.score,
      correct: record.correct,
      n: items.length,
      promptTokens: record.usage.promptTokens,
      completionTokens: record.usage.completionTokens,
      calls: record.calls,
      cachedCalls: record.cachedCalls,
      systemPrompt: request.systemPrompt,
      userPrompt: request.userPrompt,
      systemPlacement: request.systemPlacement,
      seed: request.seed,
      temperature: request.temperature,
      sampleIndex: request.sampleIndex,
      runId: request.runId ?? null,
      scoring: request.scoring,
      formatFailures: record.formatFailures,
      createdAt: record.createdAt,
    })!;
    items.forEach((item, position) => {
      insertItem.run(
        seq,
        position,
        item.exampleId,
        item.question,
        item.gold,
        item.response,
        item.prediction,
        item.valid ? 1 : 0,
        item.correct ? 1 : 0,
        item.error ?? null,
      );
    });
  });

  // The read path of `get` and `wrongExamples` (the optimizer reads a phase's wrong items while
  // its other evaluations run): prepared statements, not the query builder, for the same reason.
  const selectEvaluation = database.sqlite.prepare<[string], EvaluationRow>(
    `SELECT seq, id, task_id AS taskId, split, model, metric, score, correct, n,
       prompt_tokens AS promptTokens, completion_tokens AS completionTokens, calls,
       cached_calls AS cachedCalls, system_prompt AS systemPrompt, user_prompt AS userPrompt,
       system_placement AS systemPlacement, seed, temperature, sample_index AS sampleIndex,
       run_id AS runId, scoring, format_failures AS formatFailures, created_at AS createdAt
     FROM evaluations WHERE id = ?`,
  );
  const itemColumns = `example_id AS exampleId, question, gold, response, prediction, valid, correct, error`;
  const selectItems = database.sqlite.prepare<[number], RawItemRow>(
    `SELECT ${itemColumns} FROM evaluation_items WHERE evaluation_seq = ? ORDER BY position`,
  );
  const selectWrongItems = database.sqlite.prepare<[number], RawItemRow>(
    `SELECT ${itemColumns} FROM evaluation_items WHERE evaluation_seq = ? AND correct = 0 ORDER BY position`,
  );

  const selectOutcomes = database.sqlite.prepare<
    [number],
    { exampleId: string; correct: 0 | 1; failed: 0 | 1 }
  >(
    `SELECT example_id AS exampleId, correct, error IS NOT NULL AS failed
     FROM evaluation_items WHERE evaluation_seq = ? ORDER BY position`,
  );

  function findRow(id: string): EvaluationRow {
    const row = selectEvaluation.get(id);
    if (!row) throw notFound(`evaluation "${id}"`);
    return row;
  }

  function itemsWhere(seq: number, onlyWrong: boolean): EvaluationItem[] {
    return (onlyWrong ? selectWrongItems : selectItems).all(seq).map(itemOf);
  }

  return {
    insert,
    get(id: string): EvaluationResult {
      const row = findRow(id);
      const items = itemsWhere(row.seq, false);
      // Counted from the stored items, so evaluations stored before the count existed have it too.
      const failed = items.filter((item) => item.error !== undefined);
      const firstError = failed[0]?.error;
      return {
        ...summaryOf(row),
        failedItems: failed.length,
        ...(firstError === undefined ? {} : { failedItemError: firstError }),
        items,
      };
    },
    wrongItems(id: string): { stored: StoredEvaluation; items: EvaluationItem[] } {
      const row = findRow(id);
      return {
        stored: { summary: summaryOf(row), request: row },
        items: itemsWhere(row.seq, true),
      };
    },
    outcomes(id: string): ItemOutcome[] {
      return selectOutcomes.all(findRow(id).seq).map((row) => ({
        exampleId: row.exampleId,
        correct: row.correct === 1,
        failed: row.failed === 1,
      }));
    },
    list(filter: EvaluationListFilter): EvaluationSummary[] {
      const conditions: SQL[] = [];
      if (filter.taskId !== undefined) conditions.push(eq(evaluations.taskId, filter.taskId));
      if (filter.runId !== undefined) conditions.push(eq(evaluations.runId, filter.runId));
      return db
        .select()
        .from(evaluations)
        .where(conditions.length === 0 ? undefined : and(...conditions))
        .orderBy(desc(evaluations.seq))
        .limit(filter.limit)
        .offset(filter.offset)
        .all()
        .map(summaryOf);
    },
  };
}
