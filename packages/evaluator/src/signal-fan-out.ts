/**
 * One listener on a caller's signal, fanned out to a child signal per upstream call. tRPC's
 * local link adds an abort listener to the signal of every call it makes and never removes it,
 * so handing the caller's signal to each pair's gateway batch piled one listener per pair onto
 * it (Node warns past 10). Each child gets its link's listener and is dropped with it.
 */
export class SignalFanOut {
  private readonly children = new Set<AbortController>();
  private readonly onAbort = () => {
    for (const child of this.children) child.abort(this.parent?.reason);
  };

  constructor(private readonly parent: AbortSignal | undefined) {
    parent?.addEventListener('abort', this.onAbort, { once: true });
  }

  /** Runs `call` with a signal that aborts when the parent does (none without a parent). */
  async run<T>(call: (signal: AbortSignal | undefined) => Promise<T>): Promise<T> {
    if (!this.parent) return call(undefined);
    const child = new AbortController();
    if (this.parent.aborted) child.abort(this.parent.reason);
    else this.children.add(child);
    try {
      return await call(child.signal);
    } finally {
      this.children.delete(child);
    }
  }

  dispose(): void {
    this.parent?.removeEventListener('abort', this.onAbort);
    this.children.clear();
  }
}
