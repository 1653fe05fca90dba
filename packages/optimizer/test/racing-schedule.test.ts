import { describe, expect, it } from 'vitest';
import {
  differenceUpperBound,
  INCUMBENT,
  judgeRound,
  meanOf,
  type Outcomes,
  roundSizes,
} from '../src/engine/racing-schedule.js';
import { studentTQuantile } from '../src/engine/student-t.js';

/** One task, one pair, the given per-example outcomes. */
const single = (xs: number[]): Outcomes => [[xs]];
const options = { alpha: 0.05 };
/** The one-sided 95% t quantile with `df` degrees of freedom. */
const t95 = (df: number) => studentTQuantile(0.95, df);

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
    { id: INCUMBENT, fixed: true, outcomes: incumbent },
    { id: 0, outcomes: single([0, 0, 0, 0, 0, 0, 0, 0]) },
    { id: 1, outcomes: single([1, 1, 1, 1, 1, 1, 1, 1]) },
    { id: 2, outcomes: single([1, 1, 1, 1, 1, 1, 1, 0]) },
    { id: 3, outcomes: single([1, 1, 1, 1, 1, 1, 1, 1]) },
  ];

  it('c0 (every difference -1) drops; c2 (one miss in eight) and the tie c3 stay', () => {
    const verdict = judgeRound(entrants, options);
    expect(verdict.leader).toBe(1);
    expect(verdict.dropped).toEqual([0]);
    const byId = new Map(verdict.entrants.map((v) => [v.id, v]));
    // Every difference the same: no variance, the bound is the difference itself.
    expect(byId.get(0)?.upper).toBe(-1);
    expect(byId.get(3)?.upper).toBe(0);
    // Differences 0 x 7 and -1: mean -1/8, sample variance 1/8, so the mean's variance is
    // 1/64: the bound is -1/8 + t(0.95, 7) / 8 = 0.112, not below 0.
    expect(byId.get(2)?.upper).toBeCloseTo(-1 / 8 + t95(7) / 8, 12);
    // The incumbent is 4 behind on 8 examples: -0.5 + t(0.95, 7) * sqrt(2/7/8) < 0, confidently
    // worse, but it is never dropped.
    expect(byId.get(INCUMBENT)?.upper).toBeCloseTo(-0.5 + t95(7) * Math.sqrt(2 / 7 / 8), 12);
    expect(byId.get(INCUMBENT)?.upper).toBeLessThan(0);
  });

  it('judges an empty round as dropping nothing', () => {
    expect(judgeRound([], options)).toEqual({ leader: INCUMBENT, entrants: [], dropped: [] });
  });

  it('ranks tied entrants in entrant order, fixed ones first, when several lead', () => {
    const tie = judgeRound(
      [
        { id: -1, fixed: true, outcomes: single([1, 0, 1]) },
        { id: 0, outcomes: single([0, 1, 1]) },
        { id: 1, outcomes: single([1, 1, 0]) },
        { id: 2, outcomes: single([1, 1, 1]) },
      ],
      { ...options, keep: 3 },
    );
    expect(tie.leaders).toEqual([2, -1, 0]);
  });

  it('keeps the earlier entrant as leader on a tie, the incumbent first', () => {
    const tie = judgeRound(
      [
        { id: INCUMBENT, fixed: true, outcomes: single([1, 0]) },
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
        { id: INCUMBENT, fixed: true, outcomes: single([1, 1, 1, 1, 1, 1, 1, 1]) },
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
    const open = differenceUpperBound(a, b, { alpha: 0.05 });
    const ofTen = differenceUpperBound(a, b, { alpha: 0.05, population: 10 });
    const whole = differenceUpperBound(a, b, { alpha: 0.05, population: 8 });
    // 8 of 10 examples: the half-width times sqrt(2/10).
    expect(ofTen - estimate).toBeCloseTo((open - estimate) * Math.sqrt(2 / 10), 12);
    expect(whole).toBe(estimate);
  });

  it('has no variance to estimate from one example per task, and no bound from no pairs', () => {
    expect(differenceUpperBound(single([0]), single([1]), options)).toBe(-1);
    expect(differenceUpperBound([[[1], [0]]], [[[0], [0]]], options)).toBe(0.5);
    expect(differenceUpperBound([], [], options)).toBe(0);
  });

  it("adds the tasks' variances, each over its own examples, with the tasks' degrees of freedom", () => {
    const a: Outcomes = [[[1, 1, 0, 1, 0, 1]], [[1, 0, 1, 1, 1, 0]]];
    const b: Outcomes = [[[1, 0, 0, 1, 0, 0]], [[0, 0, 1, 1, 0, 0]]];
    // Per task the differences are two 1s in six: mean 1/3, sample variance 4/15. The estimate
    // is the mean of the two task means, its variance (2 * 4/15 / 6) / 2^2, df 5 + 5.
    const bound = differenceUpperBound(a, b, { alpha: 0.05 });
    expect(bound).toBeCloseTo(1 / 3 + t95(10) * Math.sqrt((2 * (4 / 15)) / 6 / 4), 12);
  });

  it("sums a task's user prompts per example before the variance (the pairs are fixed)", () => {
    // One task, two pairs of four examples: the columns of differences are 2, 0, 0, 0 (both
    // pairs win the first example), mean 1/2 per column, over 2 pairs: estimate 1/4.
    const a: Outcomes = [
      [
        [1, 1, 1, 0],
        [1, 0, 0, 1],
      ],
    ];
    const b: Outcomes = [
      [
        [0, 1, 1, 0],
        [0, 0, 0, 1],
      ],
    ];
    expect(meanOf(a) - meanOf(b)).toBeCloseTo(1 / 4, 12);
    // Column variance: (1.5^2 + 3 * 0.5^2) / 3 = 1; the mean's: 1/4, over 2^2 pairs: 1/16.
    expect(differenceUpperBound(a, b, { alpha: 0.05 })).toBeCloseTo(1 / 4 + t95(3) / 4, 12);
  });
});

describe('a round that keeps several (an inner loop keeping its best user prompts)', () => {
  // Eight examples; two kept prompts (fixed), three candidates, the beam keeps 2.
  const kept = [
    { id: -1, fixed: true, outcomes: single([1, 1, 1, 1, 1, 1, 1, 0]) },
    { id: -2, fixed: true, outcomes: single([1, 1, 1, 1, 1, 1, 0, 0]) },
  ];
  const options2 = { ...options, keep: 2 };

  it('drops a candidate only when it is confidently worse than each of the two leaders', () => {
    const verdict = judgeRound(
      [
        ...kept,
        // c0 misses everything: below both leaders.
        { id: 0, outcomes: single([0, 0, 0, 0, 0, 0, 0, 0]) },
        // c1 is perfect: the first leader, so kept -1 is the second and kept -2 trails.
        { id: 1, outcomes: single([1, 1, 1, 1, 1, 1, 1, 1]) },
        // c2 equals kept -2: a tie with the second best, confidently worse than c1 only.
        { id: 2, outcomes: single([1, 1, 1, 1, 1, 1, 0, 0]) },
      ],
      options2,
    );
    expect(verdict.leader).toBe(1);
    expect(verdict.leaders).toEqual([1, -1]);
    expect(verdict.dropped).toEqual([0]);
    const byId = new Map(verdict.entrants.map((v) => [v.id, v]));
    expect(byId.get(1)?.upper).toBeNull();
    expect(byId.get(-1)?.upper).toBeNull();
    // The bound kept is the larger of the two: against -1 (one example behind), not c1 (two).
    const againstSecond = differenceUpperBound(single([1, 1, 1, 1, 1, 1, 0, 0]), kept[0]?.outcomes ?? [], {
      alpha: options.alpha,
    });
    expect(byId.get(2)?.upper).toBe(againstSecond);
    expect(againstSecond).toBeGreaterThanOrEqual(0);
  });

  it('never drops a fixed contestant, however far behind', () => {
    const verdict = judgeRound(
      [
        ...kept,
        { id: 0, outcomes: single([1, 1, 1, 1, 1, 1, 1, 1]) },
        { id: 1, outcomes: single([1, 1, 1, 1, 1, 1, 1, 1]) },
        { id: 2, outcomes: single([1, 1, 1, 1, 1, 1, 1, 1]) },
      ],
      { ...options2, alpha: 0.4 },
    );
    expect(verdict.leaders).toEqual([0, 1]);
    expect(verdict.dropped).toEqual([]);
  });

  it('with keep 1, judges as an outer loop: against the single leader', () => {
    const entrants = [...kept, { id: 0, outcomes: single([1, 1, 1, 1, 1, 1, 0, 0]) }];
    const one = judgeRound(entrants, { ...options, keep: 1 });
    expect(one).toEqual(judgeRound(entrants, options));
    expect(one.leaders).toBeUndefined();
  });
});
