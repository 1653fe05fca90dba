/**
 * A cancellation flag with Set-based listeners. Calls are linked to their run, their caller
 * and their shared provider call through these rather than through AbortControllers, which
 * cost far more to create and to listen on when a batch has thousands of calls; the one
 * AbortSignal a provider needs is made per attempt.
 */
export class CancelToken {
  private cancelled = false;
  private listeners: Set<() => void> | undefined;

  get aborted(): boolean {
    return this.cancelled;
  }

  /** Runs `listener` once on abort (now, if already aborted); returns an unsubscribe. */
  onAbort(listener: () => void): () => void {
    if (this.cancelled) {
      listener();
      return () => {};
    }
    this.listeners ??= new Set();
    this.listeners.add(listener);
    return () => this.listeners?.delete(listener);
  }

  abort(): void {
    if (this.cancelled) return;
    this.cancelled = true;
    const listeners = this.listeners;
    this.listeners = undefined;
    if (listeners) for (const listener of listeners) listener();
  }
}
