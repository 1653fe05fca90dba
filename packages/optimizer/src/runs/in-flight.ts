/**
 * Counts the gateway and evaluator calls a run's steps have in flight. When a run stops on an
 * error (a budget stop, a failed evaluation), `Promise.all` rejects at the first one while the
 * other branches still wait on theirs. `close` refuses every new call, and the run is reported
 * stopped only once those in flight have landed (their answers cached, so none is paid twice),
 * so no branch writes a node after the run stopped, where a resume that had already indexed
 * the run's nodes would write it a second time.
 */
export class InFlight {
  private count = 0;
  private waiters: Array<() => void> = [];
  private closedBy: Error | null = null;

  /** Refuses every later call with `reason`; calls in flight go on to their end. */
  close(reason: Error): void {
    this.closedBy ??= reason;
  }

  async track<T>(call: () => Promise<T>): Promise<T> {
    if (this.closedBy) throw this.closedBy;
    this.count += 1;
    try {
      return await call();
    } finally {
      this.count -= 1;
      if (this.count === 0) for (const wake of this.waiters.splice(0)) wake();
    }
  }

  /** Resolves once no call is in flight and the continuations of the last ones have run. */
  async idle(): Promise<void> {
    do {
      if (this.count > 0) await new Promise<void>((resolve) => this.waiters.push(resolve));
      // Continuations of settled calls are microtasks: all of them run before this macrotask.
      await new Promise((resolve) => setImmediate(resolve));
    } while (this.count > 0);
  }
}
