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
  ended = false;

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
