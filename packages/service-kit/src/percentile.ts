/**
 * The nearest-rank percentile of values sorted ascending: the smallest value with at least `p`
 * percent of the values at or below it (rank ceil(p/100 * n), at least 1). Benchmarks report
 * latencies with it because the answer is a latency that was measured, never one between two.
 * 0 for no values.
 */
export function nearestRankPercentile(sorted: ArrayLike<number>, p: number): number {
  if (!(p >= 0 && p <= 100)) throw new RangeError(`a percentile is between 0 and 100, got ${p}`);
  if (sorted.length === 0) return 0;
  const rank = Math.min(sorted.length, Math.max(1, Math.ceil((p / 100) * sorted.length)));
  return sorted[rank - 1] as number;
}
