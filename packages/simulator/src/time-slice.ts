/** How long in-process simulator work may run before it lets the event loop take its turn. */
export const DEFAULT_SLICE_MS = 8;

export interface TimeSlicer {
  /**
   * Runs `work` at once while the current slice lasts. Once `sliceMs` have passed since it
   * began, every caller waits on one shared `setImmediate`, so timers and I/O (an HTTP request
   * to the same server) run first; waiters then resume in their order and check again, each
   * running its work right after its check, so those the new slice has no room for wait for
   * the turn after.
   */
  run<T>(work: () => T): T | Promise<T>;
  /** Turns the event loop yielded so far. */
  yields(): number;
}

/**
 * A time slicer shared by every in-process simulator call of one process. Calls answered in
 * microtasks never give the event loop a turn: a batch of thousands ran start to end while the
 * server's other requests waited. One shared gate (not one yield per call) matters: a caller
 * that yields alone leaves the others running and the microtask queue never drains.
 */
export function createTimeSlicer(options: { sliceMs?: number; now?: () => number } = {}): TimeSlicer {
  const sliceMs = options.sliceMs ?? DEFAULT_SLICE_MS;
  const now = options.now ?? (() => performance.now());
  let sliceStart = now();
  let gate: Promise<void> | undefined;
  let ranThisSlice = 0;
  let yields = 0;
  const gateIfDue = (): Promise<void> | undefined => {
    if (gate) return gate;
    // After an idle spell this yields once more than needed: one turn, cheaper than telling
    // idle time from busy time.
    // At least one piece of work per slice, so even a zero-length slice makes progress.
    if (ranThisSlice === 0 || now() - sliceStart < sliceMs) return undefined;
    gate = new Promise<void>((resolve) =>
      setImmediate(() => {
        gate = undefined;
        yields += 1;
        sliceStart = now();
        ranThisSlice = 0;
        resolve();
      }),
    );
    return gate;
  };
  const runAfter = async <T>(first: Promise<void>, work: () => T): Promise<T> => {
    for (let due: Promise<void> | undefined = first; due; due = gateIfDue()) await due;
    ranThisSlice += 1;
    return work();
  };
  return {
    run(work) {
      const due = gateIfDue();
      if (due) return runAfter(due, work);
      ranThisSlice += 1;
      return work();
    },
    yields: () => yields,
  };
}
