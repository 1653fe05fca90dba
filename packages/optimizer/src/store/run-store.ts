import {
  type MetaPromptsInfo,
  MetaPromptsInfoSchema,
  type NodeRecord,
  type RunCalls,
  RunConfigSchema,
  type RunProgress,
  type RunRecord,
  type RunResult,
  type RunStatus,
} from '@metaspo/schemas';
import { notFound } from '@metaspo/service-kit';
import type { Statement } from 'better-sqlite3';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import { nodes, runs, steps } from '../db/schema.js';
import { BUILTIN_META_PROMPTS } from '../meta-prompts.js';
import type { ToleratedFailures } from '../runs/run-clients.js';
import { nowIso, type OptimizerDatabase } from './database.js';

type RunRow = typeof runs.$inferSelect;

/** Steps that record an evaluation's tolerated failed items (see recordFailedItems). */
const FAILED_ITEMS_PREFIX = 'failed-items:';
type NodeRow = typeof nodes.$inferSelect;

/** What a step adds to a node's call counters. */
export interface NodeCalls {
  baseTrainCalls?: number;
  baseTestCalls?: number;
  optimizerCalls?: number;
  optimizerRetries?: number;
  cachedCalls?: number;
}

export type NewNode = Omit<NodeRecord, 'createdAt' | 'runId'> & NodeCalls & { stepKey: string };
export type StoredNode = NodeRecord & { stepKey: string };

/** The identity of a set, as runs and exports show it. */
export function metaPromptsInfo(set: MetaPromptsInfo): MetaPromptsInfo {
  return { name: set.name, version: set.version, hash: set.hash, source: set.source };
}

function toRunRecord(row: RunRow): RunRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status as RunStatus,
    config: RunConfigSchema.parse(row.config),
    metaPrompts: row.metaPrompts
      ? MetaPromptsInfoSchema.parse(row.metaPrompts)
      : metaPromptsInfo(BUILTIN_META_PROMPTS),
    simulated: row.simulated,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    error: row.error,
    progress: (row.progress as RunProgress | null) ?? null,
    result: (row.result as RunResult | null) ?? null,
  };
}

function toNodeRecord(row: NodeRow): StoredNode {
  return {
    id: row.id,
    runId: row.runId,
    stepKey: row.stepKey,
    parentId: row.parentId,
    kind: row.kind as NodeRecord['kind'],
    taskId: row.taskId,
    systemPrompt: row.systemPrompt,
    userPrompt: row.userPrompt,
    iteration: row.iteration,
    phase: row.phase as NodeRecord['phase'],
    candidateIndex: row.candidateIndex,
    trainScore: row.trainScore,
    testScore: row.testScore,
    evaluationIds: row.evaluationIds,
    droppedReason: row.droppedReason,
    createdAt: row.createdAt,
  };
}

/** Runs, nodes and once-only steps of the optimizer's SQLite file. Synchronous (better-sqlite3). */
export class RunStore {
  private readonly nextOrdinal = new Map<string, number>();
  // The per-step writes of a run are hot (thousands per run): prepared once, not rebuilt per call.
  private readonly statements: {
    insertNode: Statement<[Record<string, unknown>]>;
    updateNode: Statement<[Record<string, unknown>]>;
  };

  constructor(private readonly database: OptimizerDatabase) {
    this.statements = {
      insertNode: database.sqlite.prepare(
        `insert into nodes (id, run_id, step_key, ordinal, parent_id, kind, task_id, system_prompt, user_prompt,
           iteration, phase, candidate_index, train_score, test_score, evaluation_ids, dropped_reason,
           base_train_calls, base_test_calls, optimizer_calls, optimizer_retries, cached_calls, created_at)
         values (@id, @runId, @stepKey, @ordinal, @parentId, @kind, @taskId, @systemPrompt, @userPrompt,
           @iteration, @phase, @candidateIndex, @trainScore, @testScore, @evaluationIds, @droppedReason,
           @baseTrainCalls, @baseTestCalls, @optimizerCalls, @optimizerRetries, @cachedCalls, @createdAt)`,
      ),
      updateNode: database.sqlite.prepare(
        `update nodes set
           train_score = case when @setTrain = 1 then @trainScore else train_score end,
           test_score = case when @setTest = 1 then @testScore else test_score end,
           evaluation_ids = coalesce(@evaluationIds, evaluation_ids),
           base_train_calls = base_train_calls + @baseTrainCalls,
           base_test_calls = base_test_calls + @baseTestCalls,
           optimizer_calls = optimizer_calls + @optimizerCalls,
           optimizer_retries = optimizer_retries + @optimizerRetries,
           cached_calls = cached_calls + @cachedCalls
         where id = @id`,
      ),
    };
  }

  private get db() {
    return this.database.db;
  }

  insertRun(run: RunRecord): void {
    this.db
      .insert(runs)
      .values({
        id: run.id,
        name: run.name,
        status: run.status,
        config: run.config,
        metaPrompts: run.metaPrompts,
        simulated: run.simulated,
        createdAt: run.createdAt,
      })
      .run();
  }

  findRun(id: string): RunRecord | null {
    const row = this.db.select().from(runs).where(eq(runs.id, id)).get();
    return row ? toRunRecord(row) : null;
  }

  getRun(id: string): RunRecord {
    const run = this.findRun(id);
    if (!run) throw notFound(`run ${id}`);
    return run;
  }

  listRuns(filter: { status?: RunStatus | undefined; limit: number }): RunRecord[] {
    const query = this.db.select().from(runs);
    const rows = (filter.status ? query.where(eq(runs.status, filter.status)) : query)
      .orderBy(desc(runs.createdAt), desc(runs.id))
      .limit(filter.limit)
      .all();
    return rows.map(toRunRecord);
  }

  updateRun(
    id: string,
    patch: Partial<{
      status: RunStatus;
      config: RunRecord['config'];
      startedAt: string | null;
      finishedAt: string | null;
      error: string | null;
      progress: RunProgress | null;
      result: RunResult | null;
      taskIds: string[];
    }>,
  ): void {
    this.db.update(runs).set(patch).where(eq(runs.id, id)).run();
  }

  taskIdsOf(id: string): string[] | null {
    return this.db.select({ taskIds: runs.taskIds }).from(runs).where(eq(runs.id, id)).get()?.taskIds ?? null;
  }

  insertNode(runId: string, node: NewNode): StoredNode {
    let ordinal = this.nextOrdinal.get(runId);
    if (ordinal === undefined) {
      const row = this.database.sqlite
        .prepare<[string], { max: number | null }>('select max(ordinal) as max from nodes where run_id = ?')
        .get(runId);
      ordinal = (row?.max ?? -1) + 1;
    }
    this.nextOrdinal.set(runId, ordinal + 1);
    const createdAt = nowIso();
    this.statements.insertNode.run({
      id: node.id,
      runId,
      stepKey: node.stepKey,
      ordinal,
      parentId: node.parentId,
      kind: node.kind,
      taskId: node.taskId,
      systemPrompt: node.systemPrompt,
      userPrompt: node.userPrompt,
      iteration: node.iteration,
      phase: node.phase,
      candidateIndex: node.candidateIndex,
      trainScore: node.trainScore,
      testScore: node.testScore,
      evaluationIds: JSON.stringify(node.evaluationIds),
      droppedReason: node.droppedReason,
      baseTrainCalls: node.baseTrainCalls ?? 0,
      baseTestCalls: node.baseTestCalls ?? 0,
      optimizerCalls: node.optimizerCalls ?? 0,
      optimizerRetries: node.optimizerRetries ?? 0,
      cachedCalls: node.cachedCalls ?? 0,
      createdAt,
    });
    const {
      baseTrainCalls: _a,
      baseTestCalls: _b,
      optimizerCalls: _c,
      optimizerRetries: _d,
      cachedCalls: _e,
      ...record
    } = node;
    return { ...record, runId, createdAt };
  }

  /** Sets scores/evaluations and adds the step's calls to the node's counters. */
  updateNode(
    id: string,
    patch: Partial<Pick<NodeRecord, 'trainScore' | 'testScore' | 'evaluationIds'>>,
    calls: NodeCalls = {},
  ): void {
    this.statements.updateNode.run({
      id,
      setTrain: patch.trainScore === undefined ? 0 : 1,
      trainScore: patch.trainScore ?? null,
      setTest: patch.testScore === undefined ? 0 : 1,
      testScore: patch.testScore ?? null,
      evaluationIds: patch.evaluationIds === undefined ? null : JSON.stringify(patch.evaluationIds),
      baseTrainCalls: calls.baseTrainCalls ?? 0,
      baseTestCalls: calls.baseTestCalls ?? 0,
      optimizerCalls: calls.optimizerCalls ?? 0,
      optimizerRetries: calls.optimizerRetries ?? 0,
      cachedCalls: calls.cachedCalls ?? 0,
    });
  }

  listNodes(runId: string): StoredNode[] {
    return this.db
      .select()
      .from(nodes)
      .where(eq(nodes.runId, runId))
      .orderBy(asc(nodes.ordinal))
      .all()
      .map(toNodeRecord);
  }

  /**
   * Failed items an evaluation of the run had within its maxFailedItemShare: a step keyed by
   * the evaluation, so a replay does not count them twice.
   */
  recordFailedItems(runId: string, failures: ToleratedFailures): void {
    this.putStepOnce(runId, `${FAILED_ITEMS_PREFIX}${failures.evaluationId}`, failures);
  }

  failedItemsOf(runId: string): number {
    const row = this.database.sqlite
      .prepare<[string, string], { failed: number | null }>(
        `select sum(json_extract(value, '$.failedItems')) as failed from steps where run_id = ? and key like ?`,
      )
      .get(runId, `${FAILED_ITEMS_PREFIX}%`);
    return row?.failed ?? 0;
  }

  /**
   * Removes a run with its nodes, steps and events (foreign keys cascade); the gateway's cache
   * and ledger keep what its calls made. Counts what went.
   */
  deleteRun(id: string): { nodes: number; events: number } {
    this.getRun(id);
    return this.transaction(() => {
      const count = (table: string) =>
        this.database.sqlite
          .prepare<[string], { n: number }>(`select count(*) as n from ${table} where run_id = ?`)
          .get(id)?.n ?? 0;
      const removed = { nodes: count('nodes'), events: count('events') };
      this.db.delete(runs).where(eq(runs.id, id)).run();
      this.nextOrdinal.delete(id);
      return removed;
    });
  }

  /** Run totals: the sum of what every stored step made, so a resumed run counts each step once. */
  callTotals(runId: string): RunCalls {
    const row = this.db
      .select({
        baseTrain: sql<number>`coalesce(sum(${nodes.baseTrainCalls}), 0)`,
        baseTest: sql<number>`coalesce(sum(${nodes.baseTestCalls}), 0)`,
        optimizer: sql<number>`coalesce(sum(${nodes.optimizerCalls}), 0)`,
        optimizerRetries: sql<number>`coalesce(sum(${nodes.optimizerRetries}), 0)`,
        cached: sql<number>`coalesce(sum(${nodes.cachedCalls}), 0)`,
      })
      .from(nodes)
      .where(eq(nodes.runId, runId))
      .get();
    const totals = row ?? { baseTrain: 0, baseTest: 0, optimizer: 0, optimizerRetries: 0, cached: 0 };
    return { ...totals, failedItems: this.failedItemsOf(runId) };
  }

  getStep<T>(runId: string, key: string): T | null {
    const row = this.db
      .select({ value: steps.value })
      .from(steps)
      .where(and(eq(steps.runId, runId), eq(steps.key, key)))
      .get();
    return row ? (row.value as T) : null;
  }

  /** Stores `value` under `key` unless present; true when this call stored it. */
  putStepOnce(runId: string, key: string, value: unknown): boolean {
    const result = this.db
      .insert(steps)
      .values({ runId, key, value, createdAt: nowIso() })
      .onConflictDoNothing()
      .run();
    return result.changes > 0;
  }

  listSteps<T>(runId: string, prefix: string): Array<{ key: string; value: T }> {
    return this.db
      .select({ key: steps.key, value: steps.value })
      .from(steps)
      .where(and(eq(steps.runId, runId), sql`${steps.key} like ${`${prefix}%`}`))
      .orderBy(asc(steps.key))
      .all()
      .map((r) => ({ key: r.key, value: r.value as T }));
  }

  transaction<T>(fn: () => T): T {
    return this.database.sqlite.transaction(fn)();
  }
}
