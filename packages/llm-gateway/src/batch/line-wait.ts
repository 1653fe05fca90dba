import type { ProviderCallOutput } from '@metaspo/schemas';
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

export function raceSignal(promise: Promise<LineEnd>, signal: AbortSignal | undefined): Promise<LineEnd> {
  if (!signal) return promise;
  if (signal.aborted) return Promise.resolve({ kind: 'error', error: cancelled('the batch line') });
  return new Promise((resolve) => {
    const onAbort = () => resolve({ kind: 'error', error: cancelled('the batch line') });
    signal.addEventListener('abort', onAbort, { once: true });
    promise.then((end) => {
      signal.removeEventListener('abort', onAbort);
      resolve(end);
    });
  });
}

/** Resolves after `ms`, or at once when the signal aborts. */
export function sleepUnless(ms: number, signal: AbortSignal): Promise<void> {
  return new Promise((resolve) => {
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      signal.removeEventListener('abort', done);
      resolve();
    }
    signal.addEventListener('abort', done, { once: true });
  });
}
