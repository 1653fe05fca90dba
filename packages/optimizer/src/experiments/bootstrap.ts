import { createRng, seedFrom } from '@metaspo/service-kit';

/**
 * Percentile bootstrap for the unseen-generalization table. A cell is a matrix of per-example
 * scores (1 correct, 0 wrong, or a metric in between): one row per user prompt, one column per
 * test example, every row over the same examples. One resample draws, with replacement, as many
 * user prompts and as many test examples as the cell has, and takes the mean over the drawn
 * rows x drawn columns. An average over several cells (a domain, the whole table) resamples
 * each cell on its own and averages their means. Cell i's draws come from seed (seed, i) only,
 * so a cell alone, inside an average, or in a paired comparison uses the same resamples.
 */
export interface BootstrapOptions {
  seed: number;
  /** Resamples (default 10,000). */
  resamples?: number;
  /** Coverage of the interval (default 0.95: the 2.5th and 97.5th percentiles). */
  level?: number;
}

export interface Interval {
  /** The statistic on the data itself (not on resamples). */
  estimate: number;
  low: number;
  high: number;
}

export interface PairedComparison {
  a: Interval;
  b: Interval;
  /** a minus b, its interval from the differences of the same resamples. */
  difference: Interval;
}

type Matrix = ReadonlyArray<ReadonlyArray<number>>;

const DEFAULT_RESAMPLES = 10_000;
const DEFAULT_LEVEL = 0.95;

/** Mean and interval of one cell. */
export function bootstrapCell(cell: Matrix, options: BootstrapOptions): Interval {
  return bootstrapAverage([cell], options);
}

/** Mean over cells of each cell's mean, and its interval. */
export function bootstrapAverage(cells: readonly Matrix[], options: BootstrapOptions): Interval {
  const prepared = cells.map((cell, i) => prepare(cell, `cell ${i}`));
  const stats = resampledMeans(prepared, options);
  return interval(averageOf(prepared), stats, options.level ?? DEFAULT_LEVEL);
}

/**
 * Two methods on the same cells (same user prompts, same examples, same order): each one's
 * interval and that of their difference, all from the same resampled rows and columns.
 */
export function pairedBootstrap(
  a: readonly Matrix[],
  b: readonly Matrix[],
  options: BootstrapOptions,
): PairedComparison {
  if (a.length !== b.length) throw new Error(`paired bootstrap: ${a.length} cells against ${b.length}`);
  const left = a.map((cell, i) => prepare(cell, `cell ${i} of a`));
  const right = b.map((cell, i) => prepare(cell, `cell ${i} of b`));
  left.forEach((cell, i) => {
    const other = right[i] as Prepared;
    if (cell.rows !== other.rows || cell.cols !== other.cols) {
      throw new Error(
        `paired bootstrap: cell ${i} is ${cell.rows} x ${cell.cols} in a but ${other.rows} x ${other.cols} in b`,
      );
    }
  });
  const sa = resampledMeans(left, options);
  const sb = resampledMeans(right, options);
  const diff = sa.map((x, r) => x - (sb[r] as number));
  const level = options.level ?? DEFAULT_LEVEL;
  return {
    a: interval(averageOf(left), sa, level),
    b: interval(averageOf(right), sb, level),
    difference: interval(averageOf(left) - averageOf(right), Float64Array.from(diff), level),
  };
}

/** The resampled statistic, one per resample (exported for tests that enumerate it). */
export function resampledMeans(cells: readonly Prepared[], options: BootstrapOptions): Float64Array {
  const resamples = options.resamples ?? DEFAULT_RESAMPLES;
  if (!Number.isInteger(resamples) || resamples < 1) {
    throw new Error(`bootstrap: resamples must be a positive integer, got ${resamples}`);
  }
  const totals = new Float64Array(resamples);
  cells.forEach((cell, index) => {
    const rng = createRng(seedFrom(options.seed, 'bootstrap', index));
    const rowWeights = new Int32Array(cell.rows);
    const colWeights = new Int32Array(cell.cols);
    const drawn = new Int32Array(cell.cols);
    for (let r = 0; r < resamples; r += 1) {
      rowWeights.fill(0);
      colWeights.fill(0);
      for (let i = 0; i < cell.rows; i += 1) draw(rowWeights, Math.floor(rng() * cell.rows));
      for (let i = 0; i < cell.cols; i += 1) draw(colWeights, Math.floor(rng() * cell.cols));
      let distinct = 0;
      for (let c = 0; c < cell.cols; c += 1) if (colWeights[c] !== 0) drawn[distinct++] = c;
      let sum = 0;
      for (let row = 0; row < cell.rows; row += 1) {
        const w = rowWeights[row] as number;
        if (w === 0) continue;
        const offset = row * cell.cols;
        let rowSum = 0;
        for (let k = 0; k < distinct; k += 1) {
          const c = drawn[k] as number;
          rowSum += (colWeights[c] as number) * (cell.values[offset + c] as number);
        }
        sum += w * rowSum;
      }
      totals[r] = (totals[r] as number) + sum / (cell.rows * cell.cols);
    }
  });
  for (let r = 0; r < resamples; r += 1) totals[r] = (totals[r] as number) / cells.length;
  return totals;
}

const draw = (weights: Int32Array, index: number) => {
  weights[index] = (weights[index] as number) + 1;
};

export interface Prepared {
  rows: number;
  cols: number;
  /** Row-major values. */
  values: Float64Array;
  mean: number;
}

/** Checks a cell (non-empty, rectangular, finite) and flattens it. */
export function prepare(cell: Matrix, name = 'cell'): Prepared {
  const rows = cell.length;
  const cols = cell[0]?.length ?? 0;
  if (rows === 0 || cols === 0) throw new Error(`bootstrap: ${name} has no user prompt or no example`);
  const values = new Float64Array(rows * cols);
  let sum = 0;
  cell.forEach((row, r) => {
    if (row.length !== cols) {
      throw new Error(`bootstrap: ${name}, row ${r} has ${row.length} examples, row 0 has ${cols}`);
    }
    row.forEach((value, c) => {
      if (!Number.isFinite(value))
        throw new Error(`bootstrap: ${name}, row ${r}, column ${c} is not a number`);
      values[r * cols + c] = value;
      sum += value;
    });
  });
  return { rows, cols, values, mean: sum / (rows * cols) };
}

const averageOf = (cells: readonly Prepared[]) => cells.reduce((s, c) => s + c.mean, 0) / cells.length;

function interval(estimate: number, stats: Float64Array, level: number): Interval {
  if (!(level > 0 && level < 1)) throw new Error(`bootstrap: level must be between 0 and 1, got ${level}`);
  const sorted = Float64Array.from(stats).sort();
  const tail = (1 - level) / 2;
  return { estimate, low: interpolatedQuantile(sorted, tail), high: interpolatedQuantile(sorted, 1 - tail) };
}

/**
 * Linear interpolation between order statistics (numpy's default, "type 7"), on purpose not the
 * benchmarks' nearest rank (service-kit): a bootstrap interval's end is a quantile of the
 * resampled statistic, and interpolating gives the interval `numpy.percentile` gives on the same
 * resamples, moving smoothly with the level rather than jumping from one resample to the next.
 */
function interpolatedQuantile(sorted: Float64Array, q: number): number {
  const at = q * (sorted.length - 1);
  const below = Math.floor(at);
  const above = Math.min(sorted.length - 1, below + 1);
  const lo = sorted[below] as number;
  return lo + (at - below) * ((sorted[above] as number) - lo);
}
