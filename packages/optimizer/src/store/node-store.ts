import type { NodeRecord, PhaseCalls } from '@metaspo/schemas';
import type { Statement } from 'better-sqlite3';
import { asc, eq, sql } from 'drizzle-orm';
import { nodes } from '../db/schema.js';
import { nowIso, type OptimizerDatabase } from './database.js';

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

/** Sums of the node counters of a run (RunCalls without the failed items, kept in steps). */
export interface NodeCallTotals {
  baseTrain: number;
  baseTest: number;
  optimizer: number;
  optimizerRetries: number;
  cached: number;
}

/** The node counters' sums, as columns of a select. */
const callSums = {
  baseTrain: sql<number>`coalesce(sum(${nodes.baseTrainCalls}), 0)`,
  baseTest: sql<number>`coalesce(sum(${nodes.baseTestCalls}), 0)`,
  optimizer: sql<number>`coalesce(sum(${nodes.optimizerCalls}), 0)`,
  optimizerRetries: sql<number>`coalesce(sum(${nodes.optimizerRetries}), 0)`,
  cached: sql<number>`coalesce(sum(${nodes.cachedCalls}), 0)`,
};

function toNodeRecord(row: typeof nodes.$inferSelect): StoredNode {
  return {
    id: row.id,
    runId: row.runId,
    stepKey: row.stepKey,
    parentId: row.parentId,
    kind: row.kind,
    taskId: row.taskId,
    systemPrompt: row.systemPrompt,
    userPrompt: row.userPrompt,
    iteration: row.iteration,
    phase: row.phase,
    candidateIndex: row.candidateIndex,
    trainScore: row.trainScore,
    testScore: row.testScore,
    evaluationIds: row.evaluationIds,
    droppedReason: row.droppedReason,
    createdAt: row.createdAt,
  };
}

/** The nodes table: one row per step of a run, with the calls the step made. */
export class NodeStore {
  private readonly nextOrdinal = new Map<string, number>();
  // The per-step writes of a run are hot (thousands per run): prepared once, not rebuilt per call.
  private readonly insertStatement: Statement<[Record<string, unknown>]>;
  private readonly updateStatement: Statement<[Record<string, unknown>]>;
  private readonly maxOrdinalStatement: Statement<[string], { max: number | null }>;

  constructor(private readonly database: OptimizerDatabase) {
    const { sqlite } = database;
    this.insertStatement = sqlite.prepare(
      `insert into nodes (id, run_id, step_key, ordinal, parent_id, kind, task_id, system_prompt, user_prompt,
         iteration, phase, candidate_index, train_score, test_score, evaluation_ids, dropped_reason,
         base_train_calls, base_test_calls, optimizer_calls, optimizer_retries, cached_calls, created_at)
       values (@id, @runId, @stepKey, @ordinal, @parentId, @kind, @taskId, @systemPrompt, @userPrompt,
         @iteration, @phase, @candidateIndex, @trainScore, @testScore, @evaluationIds, @droppedReason,
         @baseTrainCalls, @baseTestCalls, @optimizerCalls, @optimizerRetries, @cachedCalls, @createdAt)`,
    );
    this.updateStatement = sqlite.prepare(
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
    );
    this.maxOrdinalStatement = sqlite.prepare('select max(ordinal) as max from nodes where run_id = ?');
  }

  insert(runId: string, node: NewNode): StoredNode {
    let ordinal = this.nextOrdinal.get(runId);
    if (ordinal === undefined) ordinal = (this.maxOrdinalStatement.get(runId)?.max ?? -1) + 1;
    this.nextOrdinal.set(runId, ordinal + 1);
    const createdAt = nowIso();
    this.insertStatement.run({
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
  update(
    id: string,
    patch: Partial<Pick<NodeRecord, 'trainScore' | 'testScore' | 'evaluationIds'>>,
    calls: NodeCalls = {},
  ): void {
    this.updateStatement.run({
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

  list(runId: string): StoredNode[] {
    return this.database.db
      .select()
      .from(nodes)
      .where(eq(nodes.runId, runId))
      .orderBy(asc(nodes.ordinal))
      .all()
      .map(toNodeRecord);
  }

  callTotals(runId: string): NodeCallTotals {
    const row = this.database.db.select(callSums).from(nodes).where(eq(nodes.runId, runId)).get();
    return row ?? { baseTrain: 0, baseTest: 0, optimizer: 0, optimizerRetries: 0, cached: 0 };
  }

  /** The same sums per phase of the nodes, in the order phases first appear. */
  callTotalsByPhase(runId: string): PhaseCalls[] {
    return this.database.db
      .select({ phase: nodes.phase, ...callSums })
      .from(nodes)
      .where(eq(nodes.runId, runId))
      .groupBy(nodes.phase)
      .orderBy(sql`min(${nodes.ordinal})`)
      .all();
  }

  /** Drops the cached next ordinal of a deleted run. */
  forget(runId: string): void {
    this.nextOrdinal.delete(runId);
  }
}
