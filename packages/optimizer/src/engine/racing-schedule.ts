import { createRng } from '@metaspo/service-kit';

/**
 * The pure part of racing selection (docs/optimizer.md, Racing): the round sizes, and which
 * candidates a round drops. No I/O; `racing.ts` evaluates and persists the rounds.
 */

/** The first round evaluates at least this many examples per task. */
const RACING_MIN_ROUND = 5;
/** Rounds including the final one on the whole train sample. */
const RACING_MAX_ROUNDS = 4;
/**
 * Chance, per loop, that racing drops the candidate a full evaluation would accept: split
 * evenly over the rounds that may drop (only that one candidate's drop changes the decision).
 */
export const RACING_DELTA = 0.02;
export const RACING_RESAMPLES = 4000;

/**
 * Examples per task evaluated in each round, the last being the whole train sample: each round
 * doubles the one before (successive halving's schedule), e.g. 50 -> [7, 13, 25, 50], 10 -> [5, 10].
 */
export function roundSizes(trainSize: number): number[] {
  const sizes = [trainSize];
  while (sizes.length < RACING_MAX_ROUNDS) {
    const half = Math.ceil((sizes[0] as number) / 2);
    if (half < RACING_MIN_ROUND || half === sizes[0]) break;
    sizes.unshift(half);
  }
  return sizes;
}

/** Per task, per kept user prompt, per example of the round's prefix: 1 right, 0 wrong. */
export type Outcomes = ReadonlyArray<ReadonlyArray<ReadonlyArray<number>>>;

/** A contestant of a round; `id` -1 is the current system prompt, which is never dropped. */
export interface Entrant {
  id: number;
  outcomes: Outcomes;
}

export const INCUMBENT = -1;

interface EntrantVerdict {
  id: number;
  /** Mean over (task, user prompt) pairs of the pair's mean on the prefix. */
  mean: number;
  /** Upper confidence bound of (this mean - the leader's); null for the leader itself. */
  upper: number | null;
}

export interface RoundVerdict {
  leader: number;
  entrants: EntrantVerdict[];
  /** Candidates confidently worse than the leader (their upper bound below 0). */
  dropped: number[];
}

export interface JudgeOptions {
  /** One-sided error of each drop test. */
  alpha: number;
  /** Examples per task of the whole train sample the prefixes are drawn from. */
  population?: number;
  resamples: number;
  /** Seed of an entrant's resamples (so a round replays the same verdict). */
  seedOf: (id: number) => number;
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
 * Upper confidence bound of the difference of the two whole-sample means, from their prefixes.
 * Percentile bootstrap over the same pairs and examples: each resample draws, per task, as many
 * examples as the prefix holds, with replacement (the pairs are fixed: a system prompt's score
 * is over exactly these user prompts), and takes the mean difference. The bound is the
 * (1 - alpha) quantile, its distance from the estimate scaled by sqrt(m/(m-1) * (N-m)/N) for a
 * prefix of m of the `population` N examples per task: the bootstrap's spread is that of the
 * plug-in variance (m/(m-1) makes it unbiased), and the quantity compared is the mean over the
 * N examples, which a prefix drawn without replacement from them pins down the more the larger
 * it is (the finite-population correction; 0 at m = N). Without `population`, no scaling.
 */
export function differenceUpperBound(
  a: Outcomes,
  b: Outcomes,
  options: { alpha: number; resamples: number; seed: number; population?: number | undefined },
): number {
  const pairs = pairCount(a);
  const sumsA = columnSums(a);
  const sumsB = columnSums(b);
  const differences = sumsA.map((task, t) => task.map((x, i) => x - (sumsB[t]?.[i] ?? 0)));
  const rng = createRng(options.seed);
  const resampled = new Float64Array(options.resamples);
  for (let r = 0; r < options.resamples; r += 1) {
    let total = 0;
    for (const column of differences) {
      if (column.length === 0) continue;
      let sum = 0;
      for (let j = 0; j < column.length; j += 1) sum += column[Math.floor(rng() * column.length)] as number;
      total += sum / column.length;
    }
    resampled[r] = pairs === 0 ? 0 : total / pairs;
  }
  resampled.sort();
  const at = Math.min(options.resamples - 1, Math.ceil((1 - options.alpha) * options.resamples) - 1);
  const quantile = resampled[Math.max(0, at)] as number;
  const estimate = meanOf(a) - meanOf(b);
  return estimate + (quantile - estimate) * spreadScale(differences[0]?.length ?? 0, options.population);
}

function spreadScale(m: number, population: number | undefined): number {
  if (population === undefined || m <= 1) return 1;
  return Math.sqrt((m / (m - 1)) * (Math.max(0, population - m) / population));
}

/**
 * One round: the leader is the entrant with the highest prefix mean (ties: the earlier entrant,
 * the incumbent first, then candidates by index); a candidate is dropped when its difference to
 * the leader is confidently negative. A tie or a small deficit is never dropped.
 */
export function judgeRound(entrants: readonly Entrant[], options: JudgeOptions): RoundVerdict {
  const means = entrants.map((e) => ({ id: e.id, mean: meanOf(e.outcomes), outcomes: e.outcomes }));
  let leader = means[0];
  for (const entry of means) if (leader === undefined || entry.mean > leader.mean) leader = entry;
  if (!leader) return { leader: INCUMBENT, entrants: [], dropped: [] };
  const verdicts: EntrantVerdict[] = means.map((entry) => ({
    id: entry.id,
    mean: entry.mean,
    upper:
      entry.id === leader.id
        ? null
        : differenceUpperBound(entry.outcomes, leader.outcomes, {
            alpha: options.alpha,
            resamples: options.resamples,
            population: options.population,
            seed: options.seedOf(entry.id),
          }),
  }));
  const dropped = verdicts
    .filter((v) => v.id !== INCUMBENT && v.upper !== null && v.upper < 0)
    .map((v) => v.id);
  return { leader: leader.id, entrants: verdicts, dropped };
}
