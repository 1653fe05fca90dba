import {
  type MetaPromptsInfo,
  type NodeRecord,
  type PhaseCalls,
  type RunCalls,
  RunConfigSchema,
  type RunProgress,
  type RunRecord,
  type RunResult,
  type RunStatus,
} from '@metaspo/schemas';
import { notFound } from '@metaspo/service-kit';
import { and, asc, desc, eq, sql } from 'drizzle-orm';
import type { z } from 'zod';
import { runs, steps } from '../db/schema.js';
import { BUILTIN_META_PROMPTS } from '../meta-prompts.js';
import type { ToleratedFailures } from '../runs/run-clients.js';
import { nowIso, type OptimizerDatabase } from './database.js';
import { type NewNode, type NodeCalls, NodeStore, type StoredNode } from './node-store.js';

export type { NewNode, NodeCalls, StoredNode } from './node-store.js';

/** Steps that record an evaluation's tolerated failed items (see recordFailedItems). */
const FAILED_ITEMS_PREFIX = 'failed-items:';

/** The identity of a set, as runs and exports show it. */
export function metaPromptsInfo(set: MetaPromptsInfo): MetaPromptsInfo {
  return { name: set.name, version: set.version, hash: set.hash, source: set.source };
}

/**
 * The stored config is parsed (not only typed) because a run written before a config field
 * existed lacks its default. Runs from before meta-prompt sets used the built-in one.
 */
function toRunRecord(row: typeof runs.$inferSelect): RunRecord {
  return {
    id: row.id,
    name: row.name,
    status: row.status,
    config: RunConfigSchema.parse(row.config),
    metaPrompts: metaPromptsInfo(row.metaPrompts ?? BUILTIN_META_PROMPTS),
    simulated: row.simulated,
    createdAt: row.createdAt,
    startedAt: row.startedAt,
    finishedAt: row.finishedAt,
    error: row.error,
    progress: row.progress,
    result: row.result,
  };
}

/** Runs, nodes and once-only steps of the optimizer's SQLite file. Synchronous (better-sqlite3). */
export class RunStore {
  private readonly nodes: NodeStore;

  constructor(private readonly database: OptimizerDatabase) {
    this.nodes = new NodeStore(database);
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
    return this.nodes.insert(runId, node);
  }

  /** Sets scores/evaluations and adds the step's calls to the node's counters. */
  updateNode(
    id: string,
    patch: Partial<Pick<NodeRecord, 'trainScore' | 'testScore' | 'evaluationIds'>>,
    calls: NodeCalls = {},
  ): void {
    this.nodes.update(id, patch, calls);
  }

  listNodes(runId: string): StoredNode[] {
    return this.nodes.list(runId);
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
      this.nodes.forget(id);
      return removed;
    });
  }

  /** Run totals: the sum of what every stored step made, so a resumed run counts each step once. */
  callTotals(runId: string): RunCalls {
    return { ...this.nodes.callTotals(runId), failedItems: this.failedItemsOf(runId) };
  }

  callTotalsByPhase(runId: string): PhaseCalls[] {
    return this.nodes.callTotalsByPhase(runId);
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

  /** Steps under a key prefix, each value parsed with `schema` (a step column holds any JSON). */
  listSteps<T>(runId: string, prefix: string, schema: z.ZodType<T>): Array<{ key: string; value: T }> {
    return this.db
      .select({ key: steps.key, value: steps.value })
      .from(steps)
      .where(and(eq(steps.runId, runId), sql`${steps.key} like ${`${prefix}%`}`))
      .orderBy(asc(steps.key))
      .all()
      .map((r) => ({ key: r.key, value: schema.parse(r.value) }));
  }

  transaction<T>(fn: () => T): T {
    return this.database.sqlite.transaction(fn)();
  }
}
