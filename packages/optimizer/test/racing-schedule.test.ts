import { describe, expect, it } from 'vitest';
import {
  differenceUpperBound,
  INCUMBENT,
  judgeRound,
  meanOf,
  type Outcomes,
  roundSizes,
} from '../src/engine/racing-schedule.js';

/** One task, one pair, the given per-example outcomes. */
const single = (xs: number[]): Outcomes => [[xs]];
const options = { alpha: 0.05, resamples: 2000, seedOf: (id: number) => 7 + id };

describe('the racing schedule', () => {
  it('doubles the prefix each round up to the whole train sample, from at least 5 examples', () => {
    expect(roundSizes(50)).toEqual([7, 13, 25, 50]);
    expect(roundSizes(40)).toEqual([5, 10, 20, 40]);
    expect(roundSizes(10)).toEqual([5, 10]);
    expect(roundSizes(9)).toEqual([5, 9]);
    expect(roundSizes(8)).toEqual([8]);
    expect(roundSizes(500)).toEqual([63, 125, 250, 500]);
  });

  it('averages pair means over every (task, user prompt) pair, as a full evaluation scores', () => {
    // Task A: pairs 1/2 and 1; task B: one pair 0. Pair means 0.5, 1, 0: mean 0.5.
    expect(
      meanOf([
        [
          [1, 0],
          [1, 1],
        ],
        [[0, 0]],
      ]),
    ).toBeCloseTo(0.5);
  });
});

describe('a round drops only the candidates confidently worse than its leader', () => {
  // Eight examples. Incumbent 4/8; c0 0/8; c1 8/8 (the leader); c2 7/8 (one miss); c3 = c1.
  const incumbent = single([1, 0, 1, 0, 1, 0, 1, 0]);
  const entrants = [
    { id: INCUMBENT, outcomes: incumbent },
    { id: 0, outcomes: single([0, 0, 0, 0, 0, 0, 0, 0]) },
    { id: 1, outcomes: single([1, 1, 1, 1, 1, 1, 1, 1]) },
    { id: 2, outcomes: single([1, 1, 1, 1, 1, 1, 1, 0]) },
    { id: 3, outcomes: single([1, 1, 1, 1, 1, 1, 1, 1]) },
  ];

  it('c0 (every difference -1) drops; c2 (one miss, drawn in only 66% of resamples) and the tie c3 stay', () => {
    const verdict = judgeRound(entrants, options);
    expect(verdict.leader).toBe(1);
    expect(verdict.dropped).toEqual([0]);
    const byId = new Map(verdict.entrants.map((v) => [v.id, v]));
    expect(byId.get(0)?.upper).toBe(-1);
    // A tie never has a negative bound: every resampled difference is 0.
    expect(byId.get(3)?.upper).toBe(0);
    // (7/8)^8 = 34% of resamples miss the one lost example: the 95% bound is 0.
    expect(byId.get(2)?.upper).toBe(0);
    // The incumbent is 4 behind on 8 examples, confidently worse, but it is never dropped.
    expect(byId.get(INCUMBENT)?.upper).toBeLessThan(0);
  });

  it('keeps the earlier entrant as leader on a tie, the incumbent first', () => {
    const tie = judgeRound(
      [
        { id: INCUMBENT, outcomes: single([1, 0]) },
        { id: 0, outcomes: single([0, 1]) },
      ],
      options,
    );
    expect(tie.leader).toBe(INCUMBENT);
    expect(tie.dropped).toEqual([]);
  });

  it('drops a candidate the incumbent leads confidently, so nothing is left to finish', () => {
    const verdict = judgeRound(
      [
        { id: INCUMBENT, outcomes: single([1, 1, 1, 1, 1, 1, 1, 1]) },
        { id: 0, outcomes: single([0, 0, 0, 0, 0, 0, 0, 1]) },
      ],
      options,
    );
    expect(verdict).toMatchObject({ leader: INCUMBENT, dropped: [0] });
  });

  it('narrows the bound to the whole-sample mean: exact once the prefix is the whole sample', () => {
    const a: Outcomes = [[[1, 0, 1, 1, 0, 1, 1, 0]]];
    const b: Outcomes = [[[1, 1, 0, 1, 1, 1, 0, 1]]];
    const estimate = meanOf(a) - meanOf(b);
    const open = differenceUpperBound(a, b, { alpha: 0.05, resamples: 2000, seed: 1 });
    const ofTen = differenceUpperBound(a, b, { alpha: 0.05, resamples: 2000, seed: 1, population: 10 });
    const whole = differenceUpperBound(a, b, { alpha: 0.05, resamples: 2000, seed: 1, population: 8 });
    // 8 of 10 examples: the spread times sqrt(8/7 * 2/10).
    expect(ofTen - estimate).toBeCloseTo((open - estimate) * Math.sqrt((8 / 7) * (2 / 10)));
    expect(whole).toBeCloseTo(estimate);
  });

  it('replays the same bound for the same seed, and resamples examples within each task', () => {
    const a: Outcomes = [[[1, 1, 0, 1, 0, 1]], [[1, 0, 1, 1, 1, 0]]];
    const b: Outcomes = [[[1, 0, 0, 1, 0, 0]], [[0, 0, 1, 1, 0, 0]]];
    const bound = differenceUpperBound(a, b, { alpha: 0.05, resamples: 1000, seed: 3 });
    expect(differenceUpperBound(a, b, { alpha: 0.05, resamples: 1000, seed: 3 })).toBe(bound);
    // Every per-example difference is 0 or 1, so no resample can go below 0 or above 1.
    expect(bound).toBeGreaterThan(meanOf(a) - meanOf(b));
    expect(bound).toBeLessThanOrEqual(1);
  });
});
