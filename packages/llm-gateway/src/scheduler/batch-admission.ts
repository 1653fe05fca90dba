/** The most calls a batch admits in one turn of the event loop. */
export const ADMITTED_PER_TURN = 128;

/**
 * Runs a batch's calls in order with at most `window` of them admitted and unsettled at once,
 * and at most ADMITTED_PER_TURN admitted per turn of the event loop; settled calls make room for
 * the next in the following turn. Admitting a 3,000-call batch at once put every call's
 * lookup and queued state into the first 150-180 ms: that work and the garbage collection of
 * 3,000 live calls delayed the first rounds of responses (in flight 57-75 ms at 50 ms latency,
 * against 51-53 later). `run` must not reject: it reports failures in its result.
 */
export function runInAdmissionWindow<T>(
  count: number,
  window: number,
  run: (index: number) => Promise<T>,
): Promise<T[]> {
  const results = new Array<T>(count);
  if (count === 0) return Promise.resolve(results);
  return new Promise((resolve) => {
    let next = 0;
    let settled = 0;
    let scheduled = false;
    const schedule = () => {
      if (scheduled || next >= count || next - settled >= window) return;
      scheduled = true;
      setImmediate(admit);
    };
    const admit = () => {
      scheduled = false;
      for (
        let admitted = 0;
        admitted < ADMITTED_PER_TURN && next < count && next - settled < window;
        admitted += 1
      ) {
        const index = next;
        next += 1;
        void run(index).then((result) => {
          results[index] = result;
          settled += 1;
          if (settled === count) resolve(results);
          else schedule();
        });
      }
      schedule();
    };
    admit();
  });
}
