import type { MetaTestProgress } from '@metaspo/schemas';
import type { StepStore } from '../engine/step-store.js';
import { nowIso } from '../store/database.js';

/** How often a running meta-test's call count is written to its row (list pages read it). */
const STORE_INTERVAL_MS = 1_000;

/**
 * Live progress of the meta-tests this service runs. Their steps live in memory, so the
 * engine's progress reports are caught here (instead of in a run's row and event log): the
 * record carries them while it runs, and its stored `calls` follow at most a second behind.
 */
export class MetaTestProgressBoard {
  private readonly live = new Map<string, MetaTestProgress>();
  private readonly failed = new Map<string, number>();
  private readonly storedAt = new Map<string, number>();

  constructor(private readonly storeCalls: (id: string, calls: number) => void) {}

  /** `steps` with its progress reports kept for `id`; `callsOf` reads the calls made so far. */
  track(id: string, steps: StepStore, requestsPlanned: number, callsOf: () => number): StepStore {
    this.failed.set(id, 0);
    this.storedAt.delete(id);
    this.live.set(id, { requestsDone: 0, requestsPlanned, calls: 0, failedItems: 0, updatedAt: nowIso() });
    return {
      ...steps,
      progress: (progress) => {
        steps.progress(progress);
        this.update(id, progress.requestsDone, callsOf());
      },
    };
  }

  addFailedItems(id: string, count: number): void {
    this.failed.set(id, (this.failed.get(id) ?? 0) + count);
  }

  failedItemsOf(id: string): number {
    return this.failed.get(id) ?? 0;
  }

  of(id: string): MetaTestProgress | null {
    return this.live.get(id) ?? null;
  }

  /** The meta-test stopped: its final numbers are in its row. */
  clear(id: string): void {
    this.live.delete(id);
    this.failed.delete(id);
    this.storedAt.delete(id);
  }

  private update(id: string, requestsDone: number, calls: number): void {
    const known = this.live.get(id);
    if (!known) return;
    this.live.set(id, {
      ...known,
      requestsDone,
      calls,
      failedItems: this.failedItemsOf(id),
      updatedAt: nowIso(),
    });
    const now = Date.now();
    if (now - (this.storedAt.get(id) ?? 0) >= STORE_INTERVAL_MS) {
      this.storedAt.set(id, now);
      this.storeCalls(id, calls);
    }
  }
}
