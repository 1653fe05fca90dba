import type { ProviderCallOutput } from '@metaspo/schemas';
import { untilAborted } from '@metaspo/service-kit';
import { cancelled, LlmCallError } from '../errors.js';

/** How a batch line ended for the requests waiting on it. */
export type LineEnd =
  | {
      kind: 'answered';
      output: ProviderCallOutput;
      callId: string;
      costUsd: number | null;
      latencyMs: number;
    }
  /** Not answered in a batch and out of batch retries: its requests are sent live. */
  | { kind: 'live' }
  | { kind: 'error'; error: LlmCallError };

/**
 * One cache key in flight through batches, shared by every request asking for it (in this
 * process): the first to take an answer is the one whose ledger row paid for it.
 */
export class LineWait {
  readonly promise: Promise<LineEnd>;
  private resolveEnd!: (end: LineEnd) => void;
  private paidTaken = false;
  private waiting = 0;
  ended = false;
  /**
   * Every request that asked for the line in this process left before it ended (its run was
   * cancelled, its caller aborted): nobody needs it. A line of a resumed job that nobody has
   * asked for yet is not deserted: the run that sent it may resume.
   */
  deserted = false;

  constructor() {
    this.promise = new Promise((resolve) => {
      this.resolveEnd = resolve;
    });
  }

  end(end: LineEnd): void {
    if (this.ended) return;
    this.ended = true;
    this.resolveEnd(end);
  }

  join(): void {
    this.waiting += 1;
    this.deserted = false;
  }

  /** `left`: the request stopped waiting before the line ended. True when that deserts the line. */
  leave(left: boolean): boolean {
    this.waiting -= 1;
    if (this.waiting === 0 && left && !this.ended) this.deserted = true;
    return this.deserted;
  }

  /** True once: for the first request to take the answer. */
  takePaid(): boolean {
    if (this.paidTaken) return false;
    this.paidTaken = true;
    return true;
  }
}

export function asCallError(error: unknown): LlmCallError {
  return error instanceof LlmCallError
    ? error
    : new LlmCallError({ kind: 'unknown', message: String(error) });
}

/** The line's end, or a cancelled error as soon as the caller's signal aborts (the line keeps going). */
export function raceSignal(promise: Promise<LineEnd>, signal: AbortSignal | undefined): Promise<LineEnd> {
  return untilAborted(promise, signal, () => cancelled('the batch line')).catch((error: unknown) => ({
    kind: 'error' as const,
    error: asCallError(error),
  }));
}

/** Batch requests waiting on lines, by run, so `cancelRun` reaches them as it reaches live calls. */
export class RunWaiters {
  private readonly byRun = new Map<string, Set<() => void>>();

  /** A promise that ends with a cancelled error when the run is cancelled; dispose when done. */
  add(runId: string | undefined): { cancelled: Promise<LineEnd>; dispose(): void } {
    if (runId === undefined) return { cancelled: new Promise(() => {}), dispose: () => {} };
    let cancel!: () => void;
    const cancelledEnd = new Promise<LineEnd>((resolve) => {
      cancel = () => resolve({ kind: 'error', error: cancelled('the batch line') });
    });
    let waiters = this.byRun.get(runId);
    if (!waiters) {
      waiters = new Set();
      this.byRun.set(runId, waiters);
    }
    const set = waiters;
    set.add(cancel);
    return {
      cancelled: cancelledEnd,
      dispose: () => {
        set.delete(cancel);
        if (set.size === 0 && this.byRun.get(runId) === set) this.byRun.delete(runId);
      },
    };
  }

  /** Ends the run's waiting requests with a cancelled error; how many there were. */
  cancelRun(runId: string): number {
    const waiters = [...(this.byRun.get(runId) ?? [])];
    for (const cancel of waiters) cancel();
    return waiters.length;
  }
}
