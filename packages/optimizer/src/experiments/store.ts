import {
  type ExperimentCell,
  type ExperimentConfig,
  ExperimentConfigSchema,
  type ExperimentPlan,
  type ExperimentProgress,
  type ExperimentRecord,
  type ExperimentStatus,
} from '@metaspo/schemas';
import { notFound } from '@metaspo/service-kit';
import { and, asc, desc, eq } from 'drizzle-orm';
import { experimentCells, experiments, metaTests, runs } from '../db/schema.js';
import { nowIso, type OptimizerDatabase } from '../store/database.js';

type Row = typeof experiments.$inferSelect;
type CellRow = typeof experimentCells.$inferSelect;

const EMPTY_PROGRESS = (plan: ExperimentPlan, cellsTotal: number): ExperimentProgress => ({
  requestsDone: 0,
  requestsPlanned: plan.totals.requests,
  costUsd: 0,
  cellsDone: 0,
  cellsTotal,
  currentCell: null,
  etaSeconds: null,
});

function toCell(row: CellRow): ExperimentCell {
  return {
    key: row.key,
    kind: row.kind,
    domain: row.domain,
    seed: row.seed,
    method: row.method,
    runId: row.runId,
    metaTestId: row.metaTestId,
    status: row.status,
  };
}

/**
 * Experiments and their cells in the optimizer's database. The config is parsed on read: one
 * stored before a config field existed lacks its default.
 */
export class ExperimentStore {
  constructor(private readonly database: OptimizerDatabase) {}

  insert(record: {
    id: string;
    config: ExperimentConfig;
    plan: ExperimentPlan;
    cells: ExperimentCell[];
  }): void {
    const { db } = this.database;
    db.transaction((tx) => {
      tx.insert(experiments)
        .values({
          id: record.id,
          name: record.config.name,
          status: 'created',
          config: record.config,
          plan: record.plan,
          simulated: record.plan.simulated,
          createdAt: nowIso(),
          progress: EMPTY_PROGRESS(record.plan, record.cells.length),
        })
        .run();
      record.cells.forEach((cell, ordinal) => {
        tx.insert(experimentCells)
          .values({ experimentId: record.id, ordinal, ...cell })
          .run();
      });
    });
  }

  get(id: string): ExperimentRecord {
    const row = this.database.db.select().from(experiments).where(eq(experiments.id, id)).get();
    if (!row) throw notFound(`experiment ${id}`);
    return this.toRecord(row);
  }

  list(limit: number): ExperimentRecord[] {
    return this.database.db
      .select()
      .from(experiments)
      .orderBy(desc(experiments.createdAt))
      .limit(limit)
      .all()
      .map((row) => this.toRecord(row));
  }

  cells(id: string): ExperimentCell[] {
    return this.database.db
      .select()
      .from(experimentCells)
      .where(eq(experimentCells.experimentId, id))
      .orderBy(asc(experimentCells.ordinal))
      .all()
      .map(toCell);
  }

  setStatus(id: string, status: ExperimentStatus, error: string | null = null): void {
    const finished = status === 'completed' || status === 'failed' || status === 'cancelled';
    const started = status === 'running' ? { startedAt: nowIso() } : {};
    this.database.db
      .update(experiments)
      .set({ status, error, finishedAt: finished ? nowIso() : null, ...started })
      .where(eq(experiments.id, id))
      .run();
  }

  setConfig(id: string, config: ExperimentConfig): void {
    this.database.db.update(experiments).set({ config }).where(eq(experiments.id, id)).run();
  }

  setProgress(id: string, progress: ExperimentProgress): void {
    this.database.db.update(experiments).set({ progress }).where(eq(experiments.id, id)).run();
  }

  updateCell(
    id: string,
    key: string,
    patch: Partial<Pick<ExperimentCell, 'runId' | 'metaTestId' | 'status'>>,
  ): void {
    this.database.db
      .update(experimentCells)
      .set(patch)
      .where(and(eq(experimentCells.experimentId, id), eq(experimentCells.key, key)))
      .run();
  }

  /** Marks a run or meta-test as a cell of the experiment (the `experiment_id` link column). */
  link(id: string, target: { runId?: string; metaTestId?: string }): void {
    const { db } = this.database;
    if (target.runId) db.update(runs).set({ experimentId: id }).where(eq(runs.id, target.runId)).run();
    if (target.metaTestId) {
      db.update(metaTests).set({ experimentId: id }).where(eq(metaTests.id, target.metaTestId)).run();
    }
  }

  private toRecord(row: Row): ExperimentRecord {
    const cells = this.cells(row.id);
    return {
      id: row.id,
      name: row.name,
      status: row.status,
      config: ExperimentConfigSchema.parse(row.config),
      plan: row.plan,
      simulated: row.simulated,
      createdAt: row.createdAt,
      startedAt: row.startedAt,
      finishedAt: row.finishedAt,
      error: row.error,
      progress: row.progress ?? EMPTY_PROGRESS(row.plan, cells.length),
      cells,
    };
  }
}
