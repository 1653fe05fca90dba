/**
 * The middle item by `value`, whatever order the items came in; of the two middle items of an
 * even count, the lower. Benchmarks report the median of repeated passes: one pass moves with
 * a GC pause or the machine's load, the median of several much less.
 */
export function medianBy<T>(items: readonly T[], value: (item: T) => number): T {
  const ordered = [...items].sort((a, b) => value(a) - value(b));
  const median = ordered[Math.floor((ordered.length - 1) / 2)];
  if (median === undefined) throw new RangeError('the median of nothing');
  return median;
}

/** How many timed passes a benchmark runs: `given`, else `fallback`; a whole number of 1 or more. */
export function passCountOf(given: number | undefined, fallback: number): number {
  const passes = given ?? fallback;
  if (!Number.isInteger(passes) || passes < 1) {
    throw new RangeError(`passes must be 1 or more, got ${passes}`);
  }
  return passes;
}
