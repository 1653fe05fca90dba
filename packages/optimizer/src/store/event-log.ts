import { EventEmitter, on } from 'node:events';
import type { RunEvent } from '@metaspo/schemas';
import { onAbort } from '@metaspo/service-kit';
import Database, { type Statement } from 'better-sqlite3';
import { and, asc, eq, gt, sql } from 'drizzle-orm';
import { events } from '../db/schema.js';
import { nowIso, type OptimizerDatabase } from './database.js';

/** A RunEvent before the log gives it its sequence number and time. */
export type NewRunEvent = RunEvent extends infer E
  ? E extends RunEvent
    ? Omit<E, 'seq' | 'at'>
    : never
  : never;

/**
 * The run events: stored first, then published to live subscribers. A subscriber replays the
 * stored events after the seq it saw, then follows live ones, so nothing is missed or repeated.
 */
export class EventLog {
  private readonly emitter = new EventEmitter();
  private readonly nextSeq = new Map<string, number>();

  private readonly insert: Statement<[string, number, string]>;

  constructor(private readonly database: OptimizerDatabase) {
    this.emitter.setMaxListeners(0);
    this.insert = database.sqlite.prepare('insert into events (run_id, seq, event) values (?, ?, ?)');
  }

  append(event: NewRunEvent): RunEvent {
    const stored = this.store(event);
    this.emitter.emit(event.runId, stored);
    return stored;
  }

  /**
   * Another process may have appended to the same run (a cancel or resume from elsewhere), so
   * a cached next seq can be taken: then the store's maximum is read again and the insert retried.
   */
  private store(event: NewRunEvent): RunEvent {
    for (let attempt = 0; ; attempt++) {
      const seq = this.allocateSeq(event.runId);
      const stored: RunEvent = { ...event, seq, at: nowIso() };
      try {
        this.insert.run(event.runId, seq, JSON.stringify(stored));
        return stored;
      } catch (error) {
        const taken = error instanceof Database.SqliteError && error.code === 'SQLITE_CONSTRAINT_PRIMARYKEY';
        if (!taken || attempt >= 2) throw error;
        this.nextSeq.delete(event.runId);
      }
    }
  }

  list(runId: string, afterSeq = -1): RunEvent[] {
    return this.database.db
      .select({ event: events.event })
      .from(events)
      .where(and(eq(events.runId, runId), gt(events.seq, afterSeq)))
      .orderBy(asc(events.seq))
      .all()
      .map((r) => r.event);
  }

  /** Stored events after `afterSeq`, then live ones until `signal` aborts. */
  async *follow(runId: string, afterSeq: number, signal: AbortSignal | undefined): AsyncGenerator<RunEvent> {
    const controller = new AbortController();
    const removeListener = onAbort(signal, () => controller.abort());
    // Subscribe before reading the store so an event appended in between is not lost; an
    // already aborted signal gets the stored events only.
    const live = controller.signal.aborted ? [] : on(this.emitter, runId, { signal: controller.signal });
    try {
      let last = afterSeq;
      for (const event of this.list(runId, afterSeq)) {
        last = event.seq;
        yield event;
      }
      for await (const [event] of live) {
        const runEvent = event as RunEvent;
        if (runEvent.seq <= last) continue;
        last = runEvent.seq;
        yield runEvent;
      }
    } catch (error) {
      if (!controller.signal.aborted) throw error;
    } finally {
      removeListener();
      controller.abort();
    }
  }

  private allocateSeq(runId: string): number {
    let next = this.nextSeq.get(runId);
    if (next === undefined) {
      const row = this.database.db
        .select({ max: sql<number | null>`max(${events.seq})` })
        .from(events)
        .where(eq(events.runId, runId))
        .get();
      next = (row?.max ?? -1) + 1;
    }
    this.nextSeq.set(runId, next + 1);
    return next;
  }
}
