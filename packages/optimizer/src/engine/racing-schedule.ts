import { studentTQuantile } from './student-t.js';

/**
 * The pure part of racing selection (docs/optimizer.md, Racing): the round sizes, and which
 * candidates a round drops. No I/O; `racing.ts` evaluates and persists the rounds.
 */

/** The first round evaluates at least this many examples per task. */
const RACING_MIN_ROUND = 5;
/** Rounds including the final one on the whole train sample. */
const RACING_MAX_ROUNDS = 4;

/**
 * Examples per task evaluated in each round, the last being the whole train sample: each round
 * doubles the one before (successive halving's schedule), e.g. 50 -> [7, 13, 25, 50], 10 -> [5, 10].
 */
export function roundSizes(trainSize: number): number[] {
  const sizes = [trainSize];
  while (sizes.length < RACING_MAX_ROUNDS) {
    const half = Math.ceil((sizes[0] as number) / 2);
    if (half < RACING_MIN_ROUND) break;
    sizes.unshift(half);
  }
  return sizes;
}

/** Per task, per kept user prompt, per example of the round's prefix: 1 right, 0 wrong. */
export type Outcomes = ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>;

/**
 * A contestant of a round. A `fixed` one is already scored on the whole train sample (the
 * current system prompt of an outer loop, the kept user prompts of an inner loop): it is never
 * dropped, and its outcomes are the prefix of its train evaluation.
 */
export interface Entrant {
  id: number;
  outcomes: Outcomes;
  fixed?: boolean;
}

/** The id of the outer loop's current system prompt. */
export const INCUMBENT = -1;

interface EntrantVerdict {
  id: number;
  /** Mean over (task, user prompt) pairs of the pair's mean on the prefix. */
  mean: number;
  /**
   * Upper confidence bound of (this mean - a leader's), the largest over the round's leaders;
   * null for a leader itself.
   */
  upper: number | null;
}

export interface RoundVerdict {
  /** The entrant with the highest prefix mean. */
  leader: number;
  /** The `keep` entrants with the highest prefix means, best first (just `leader` when keep is 1). */
  leaders?: number[];
  entrants: EntrantVerdict[];
  /** Candidates confidently worse than every leader (each upper bound below 0). */
  dropped: number[];
}

export interface JudgeOptions {
  /**
   * How many entrants the loop keeps: 1 for an outer loop (the best system prompt), the beam
   * width for an inner loop. A candidate drops only when confidently worse than each of the
   * `keep` best, so it could not have been among them.
   */
  keep?: number;
  /** One-sided error of each drop test. */
  alpha: number;
  /** Examples per task of the whole train sample the prefixes are drawn from. */
  population?: number;
}

function pairCount(outcomes: Outcomes): number {
  return outcomes.reduce((n, task) => n + task.length, 0);
}

/** Per task, per example: the sum over the task's pairs (the column a resample draws). */
function columnSums(outcomes: Outcomes): number[][] {
  return outcomes.map((pairs) => {
    const width = pairs[0]?.length ?? 0;
    const sums = new Array<number>(width).fill(0);
    for (const pair of pairs) {
      pair.forEach((x, i) => {
        sums[i] = (sums[i] as number) + x;
      });
    }
    return sums;
  });
}

export function meanOf(outcomes: Outcomes): number {
  const pairs = pairCount(outcomes);
  if (pairs === 0) return 0;
  const total = columnSums(outcomes).reduce(
    (n, sums) => n + (sums.length === 0 ? 0 : sums.reduce((a, b) => a + b, 0) / sums.length),
    0,
  );
  return total / pairs;
}

/**
 * Upper confidence bound of the difference of the two whole-sample means, from their prefixes:
 * a one-sided Student-t bound on the paired difference. Per task, each example's value is the
 * sum over the task's pairs of the two prompts' differences (the pairs are fixed: a system
 * prompt's score is over exactly these user prompts); the estimate's variance is the sum over
 * tasks of the examples' sample variance over m, divided by the pairs squared, with
 * sum(m - 1) degrees of freedom. It is multiplied by (N - m)/N for a prefix of m of the
 * `population` N examples per task (the finite-population correction; 0 at m = N): the quantity
 * compared is the mean over those N examples, which a prefix drawn without replacement from
 * them pins down the more the larger it is. Without `population`, no correction. With no
 * variance (every example differs by the same amount) the bound is the estimate itself.
 */
export function differenceUpperBound(
  a: Outcomes,
  b: Outcomes,
  options: { alpha: number; population?: number | undefined },
): number {
  const pairs = pairCount(a);
  const sumsA = columnSums(a);
  const sumsB = columnSums(b);
  // Every task's prefix holds the same number of examples.
  const m = sumsA[0]?.length ?? 0;
  if (pairs === 0 || m === 0) return 0;
  let estimate = 0;
  let squares = 0;
  sumsA.forEach((column, t) => {
    const differences = column.map((x, i) => x - (sumsB[t]?.[i] ?? 0));
    const mean = differences.reduce((n, d) => n + d, 0) / m;
    estimate += mean;
    squares += differences.reduce((n, d) => n + (d - mean) ** 2, 0);
  });
  estimate /= pairs;
  // One example per task leaves no variance to estimate.
  if (m === 1) return estimate;
  const variance = squares / (m - 1) / m / (pairs * pairs);
  const correction =
    options.population === undefined ? 1 : Math.max(0, options.population - m) / options.population;
  const degrees = sumsA.length * (m - 1);
  return estimate + studentTQuantile(1 - options.alpha, degrees) * Math.sqrt(variance * correction);
}

/**
 * One round: the leaders are the `keep` entrants with the highest prefix means (ties: the
 * earlier entrant, fixed ones first, then candidates by index); a candidate is dropped when its
 * difference to every leader is confidently negative. A tie or a small deficit is never dropped.
 */
export function judgeRound(entrants: readonly Entrant[], options: JudgeOptions): RoundVerdict {
  const means = entrants.map((e, order) => ({ ...e, order, mean: meanOf(e.outcomes) }));
  const ranked = [...means].sort((a, b) => b.mean - a.mean || a.order - b.order);
  const leaders = ranked.slice(0, Math.max(1, options.keep ?? 1));
  const leader = leaders[0];
  if (!leader) return { leader: INCUMBENT, entrants: [], dropped: [] };
  const isLeader = new Set(leaders.map((l) => l.id));
  const verdicts: EntrantVerdict[] = means.map((entry) => ({
    id: entry.id,
    mean: entry.mean,
    upper: isLeader.has(entry.id)
      ? null
      : Math.max(
          ...leaders.map((l) =>
            differenceUpperBound(entry.outcomes, l.outcomes, {
              alpha: options.alpha,
              population: options.population,
            }),
          ),
        ),
  }));
  const fixed = new Set(means.filter((m) => m.fixed).map((m) => m.id));
  const dropped = verdicts.filter((v) => !fixed.has(v.id) && (v.upper ?? 0) < 0).map((v) => v.id);
  return {
    leader: leader.id,
    ...(leaders.length > 1 ? { leaders: leaders.map((l) => l.id) } : {}),
    entrants: verdicts,
    dropped,
  };
}
