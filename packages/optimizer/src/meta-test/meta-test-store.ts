import {
  type AdaptResult,
  FIXED_SYSTEM_PROMPT_LABELS,
  type MetaTestRecord,
  type MetaTestStartInput,
  type MetaTestSystemPrompt,
  type UnseenResult,
} from '@metaspo/schemas';
import { notFound } from '@metaspo/service-kit';
import { desc, eq } from 'drizzle-orm';
import { metaTests, unseenUserPrompts } from '../db/schema.js';
import { nowIso, type OptimizerDatabase } from '../store/database.js';

type Row = typeof metaTests.$inferSelect;
type StoredSystemPrompt = Row['systemPrompts'][number];

/** Meta-tests stored before prompts carried their origin: the fixed labels were the built-in texts. */
function withOrigin(prompt: StoredSystemPrompt): MetaTestSystemPrompt {
  if (prompt.origin) return { label: prompt.label, prompt: prompt.prompt, origin: prompt.origin };
  const fixed = FIXED_SYSTEM_PROMPT_LABELS.some((label) => label === prompt.label);
  const origin = fixed ? 'builtin' : prompt.label === 'optimized' ? 'optimized' : 'input';
  return { label: prompt.label, prompt: prompt.prompt, origin };
}

/** The result column holds the table of an unseen meta-test or the curves of an adapt one. */
const unseenResult = (result: Row['result']): UnseenResult | null =>
  result !== null && 'overall' in result ? result : null;
const adaptResult = (result: Row['result']): AdaptResult | null =>
  result !== null && 'meanCurves' in result ? result : null;

function toRecord(row: Row): MetaTestRecord {
  return {
    id: row.id,
    kind: row.kind,
    status: row.status,
    runId: row.runId,
    systemPrompts: row.systemPrompts.map(withOrigin),
    taskIds: row.taskIds,
    scoring: row.scoring,
    createdAt: row.createdAt,
    finishedAt: row.finishedAt,
    error: row.error,
    calls: row.calls,
    unseen: row.kind === 'unseen' ? unseenResult(row.result) : null,
    adapt: row.kind === 'adapt' ? adaptResult(row.result) : null,
  };
}

export class MetaTestStore {
  constructor(private readonly database: OptimizerDatabase) {}

  insert(record: MetaTestRecord, input: MetaTestStartInput): void {
    this.database.db
      .insert(metaTests)
      .values({
        id: record.id,
        kind: record.kind,
        status: record.status,
        runId: record.runId,
        input,
        systemPrompts: record.systemPrompts,
        taskIds: record.taskIds,
        scoring: record.scoring,
        createdAt: record.createdAt,
      })
      .run();
  }

  finish(
    id: string,
    outcome: {
      status: MetaTestRecord['status'];
      error?: string;
      calls: number;
      result?: UnseenResult | AdaptResult;
    },
  ): void {
    this.database.db
      .update(metaTests)
      .set({
        status: outcome.status,
        error: outcome.error ?? null,
        calls: outcome.calls,
        result: outcome.result ?? null,
        finishedAt: nowIso(),
      })
      .where(eq(metaTests.id, id))
      .run();
  }

  /** The calls of a running meta-test so far, so a list read elsewhere does not show 0. */
  updateCalls(id: string, calls: number): void {
    this.database.db.update(metaTests).set({ calls }).where(eq(metaTests.id, id)).run();
  }

  /** Removes a meta-test's row; the user prompts it generated stay, keyed by what made them. */
  delete(id: string): void {
    const removed = this.database.db.delete(metaTests).where(eq(metaTests.id, id)).run();
    if (removed.changes === 0) throw notFound(`meta-test ${id}`);
  }

  /**
   * The start input a meta-test was stored with, to run it again: the caller parses it, which
   * fills the defaults of fields added after it was stored.
   */
  inputOf(id: string): MetaTestStartInput {
    const row = this.database.db
      .select({ input: metaTests.input })
      .from(metaTests)
      .where(eq(metaTests.id, id))
      .get();
    if (!row) throw notFound(`meta-test ${id}`);
    return row.input;
  }

  /**
   * Back to 'running' for a resume: the previous outcome is cleared, the creation time kept;
   * `input` replaces the stored start input (a resume with a new budget).
   */
  restart(id: string, input?: MetaTestStartInput): void {
    this.database.db
      .update(metaTests)
      .set({
        status: 'running',
        error: null,
        calls: 0,
        result: null,
        finishedAt: null,
        ...(input === undefined ? {} : { input }),
      })
      .where(eq(metaTests.id, id))
      .run();
  }

  get(id: string): MetaTestRecord {
    const row = this.database.db.select().from(metaTests).where(eq(metaTests.id, id)).get();
    if (!row) throw notFound(`meta-test ${id}`);
    return toRecord(row);
  }

  list(runId?: string): MetaTestRecord[] {
    const query = this.database.db.select().from(metaTests);
    return (runId ? query.where(eq(metaTests.runId, runId)) : query)
      .orderBy(desc(metaTests.createdAt), desc(metaTests.id))
      .all()
      .map(toRecord);
  }

  findUserPrompts(key: string): string[] | null {
    return (
      this.database.db
        .select({ prompts: unseenUserPrompts.prompts })
        .from(unseenUserPrompts)
        .where(eq(unseenUserPrompts.key, key))
        .get()?.prompts ?? null
    );
  }

  saveUserPrompts(key: string, taskId: string, prompts: string[]): void {
    this.database.db
      .insert(unseenUserPrompts)
      .values({ key, taskId, prompts, createdAt: nowIso() })
      .onConflictDoNothing()
      .run();
  }
}
