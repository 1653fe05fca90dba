import { onAbort } from '@metaspo/service-kit';
import { CancelToken } from './cancel-token.js';

/** The calls listening to one caller signal, behind a single listener on it. */
interface SignalListeners {
  tokens: Set<CancelToken>;
  scopes: number;
  removeListener: () => void;
}

const listenersBySignal = new WeakMap<AbortSignal, SignalListeners>();

/**
 * Cancellation of calls: by run (`cancelRun`), by the caller (a tRPC client aborting its
 * request) and all at once (`close`). A batch shares one caller AbortSignal among thousands of
 * calls, and concurrent `complete` calls may share one too: each signal gets a single listener,
 * however many scopes use it, which fans out to the calls' tokens (Node warns past 10 listeners).
 */
export class CallerScope {
  private readonly listeners: SignalListeners | undefined;

  constructor(private readonly signal: AbortSignal | undefined) {
    if (!signal) return;
    let listeners = listenersBySignal.get(signal);
    if (!listeners) {
      const tokens = new Set<CancelToken>();
      const removeListener = onAbort(signal, () => {
        for (const token of tokens) token.abort();
      });
      listeners = { tokens, scopes: 0, removeListener };
      listenersBySignal.set(signal, listeners);
    }
    listeners.scopes += 1;
    this.listeners = listeners;
  }

  add(token: CancelToken): void {
    if (this.signal?.aborted) token.abort();
    else this.listeners?.tokens.add(token);
  }
  delete(token: CancelToken): void {
    this.listeners?.tokens.delete(token);
  }
  /** Call once, after every call of the scope has ended (and deleted its token). */
  dispose(): void {
    const { signal, listeners } = this;
    if (!signal || !listeners) return;
    listeners.scopes -= 1;
    if (listeners.scopes > 0) return;
    listeners.removeListener();
    listenersBySignal.delete(signal);
  }
}

export interface LinkedToken {
  token: CancelToken;
  dispose(): void;
}

export class RunSignals {
  private readonly byRun = new Map<string, Set<CancelToken>>();
  private readonly all = new Set<CancelToken>();

  link(runId: string | undefined, caller: CallerScope | undefined): LinkedToken {
    const token = new CancelToken();
    caller?.add(token);
    this.all.add(token);
    let runSet: Set<CancelToken> | undefined;
    if (runId !== undefined) {
      runSet = this.byRun.get(runId);
      if (!runSet) {
        runSet = new Set();
        this.byRun.set(runId, runSet);
      }
      runSet.add(token);
    }
    return {
      token,
      dispose: () => {
        caller?.delete(token);
        this.all.delete(token);
        if (runSet && runId !== undefined) {
          runSet.delete(token);
          if (runSet.size === 0) this.byRun.delete(runId);
        }
      },
    };
  }

  cancelRun(runId: string): number {
    const calls = [...(this.byRun.get(runId) ?? [])];
    for (const token of calls) token.abort();
    return calls.length;
  }

  cancelAll(): number {
    const calls = [...this.all];
    for (const token of calls) token.abort();
    return calls.length;
  }

  get active(): number {
    return this.all.size;
  }
}
