import { CancelToken } from './cancel-token.js';

/**
 * Cancellation of calls: by run (`cancelRun`), by the caller (a tRPC client aborting its
 * request) and all at once (`close`). A batch shares one caller AbortSignal among thousands of
 * calls, so that signal gets a single listener and fans out to the calls' tokens.
 */
export class CallerScope {
  private readonly tokens = new Set<CancelToken>();
  private readonly onAbort = () => {
    for (const token of this.tokens) token.abort();
  };

  constructor(private readonly signal: AbortSignal | undefined) {
    signal?.addEventListener('abort', this.onAbort, { once: true });
  }

  add(token: CancelToken): void {
    if (this.signal?.aborted) token.abort();
    else this.tokens.add(token);
  }
  delete(token: CancelToken): void {
    this.tokens.delete(token);
  }
  dispose(): void {
    this.signal?.removeEventListener('abort', this.onAbort);
    this.tokens.clear();
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
