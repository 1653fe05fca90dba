import { describe, expect, it } from 'vitest';
import {
  bootstrapAverage,
  bootstrapCell,
  pairedBootstrap,
  prepare,
  resampledMeans,
} from '../src/experiments/bootstrap.js';

const matrix = (rows: number, cols: number, value: (r: number, c: number) => number) =>
  Array.from({ length: rows }, (_, r) => Array.from({ length: cols }, (_, c) => value(r, c)));

/** A deterministic 0/1 cell with about `rate` correct, varying by user prompt. */
const cellAt = (rows: number, cols: number, rate: number, salt: number) =>
  matrix(rows, cols, (r, c) =>
    ((r * 7919 + c * 104729 + salt) % 1000) / 1000 < rate + (r % 3) * 0.02 ? 1 : 0,
  );

describe('bootstrap confidence intervals', () => {
  it('gives a constant cell a zero-width interval at its value', () => {
    for (const value of [0, 0.5, 1]) {
      expect(
        bootstrapCell(
          matrix(4, 30, () => value),
          { seed: 1, resamples: 500 },
        ),
      ).toEqual({
        estimate: value,
        low: value,
        high: value,
      });
    }
  });

  it('matches the enumerated distribution of a one-prompt, two-example cell', () => {
    // Two examples, one right: a resample draws both (mean 1) or neither (mean 0) with
    // probability 1/4 each, one of each (mean 1/2) with probability 1/2.
    const cell = [[1, 0]];
    const stats = resampledMeans([prepare(cell)], { seed: 3, resamples: 20_000 });
    const share = (v: number) => stats.filter((x) => x === v).length / stats.length;
    expect(share(0) + share(0.5) + share(1)).toBe(1);
    expect(share(0)).toBeCloseTo(0.25, 1);
    expect(share(0.5)).toBeCloseTo(0.5, 1);
    expect(share(1)).toBeCloseTo(0.25, 1);
    // Hence the 95% interval spans [0, 1] and a 40% one (30th to 70th percentile) is {1/2}.
    expect(bootstrapCell(cell, { seed: 3 })).toEqual({ estimate: 0.5, low: 0, high: 1 });
    expect(bootstrapCell(cell, { seed: 3, level: 0.4 })).toEqual({ estimate: 0.5, low: 0.5, high: 0.5 });
  });

  it('resamples user prompts too: two prompts that always agree within themselves', () => {
    // Prompt 0 always right, prompt 1 always wrong: only the drawn prompts matter, so the
    // resampled means are 0, 1/2 and 1 with probabilities 1/4, 1/2, 1/4 whatever the examples.
    const cell = [Array(50).fill(1), Array(50).fill(0)];
    const stats = resampledMeans([prepare(cell)], { seed: 5, resamples: 20_000 });
    const share = (v: number) => stats.filter((x) => Math.abs(x - v) < 1e-12).length / stats.length;
    expect(share(0)).toBeCloseTo(0.25, 1);
    expect(share(0.5)).toBeCloseTo(0.5, 1);
    expect(share(1)).toBeCloseTo(0.25, 1);
  });

  it('is reproducible for a seed and differs across seeds', () => {
    const cell = cellAt(10, 200, 0.6, 11);
    const first = bootstrapCell(cell, { seed: 42, resamples: 2000 });
    expect(bootstrapCell(cell, { seed: 42, resamples: 2000 })).toEqual(first);
    expect(bootstrapCell(cell, { seed: 43, resamples: 2000 })).not.toEqual(first);
    expect(first.low).toBeLessThan(first.estimate);
    expect(first.high).toBeGreaterThan(first.estimate);
  });

  it('gives a paired difference its exact shift when one method is the other plus a constant', () => {
    const base = cellAt(10, 100, 0.4, 17).map((row) => row.map((x) => x * 0.5));
    const shifted = base.map((row) => row.map((x) => x + 0.25));
    const paired = pairedBootstrap([shifted], [base], { seed: 9, resamples: 3000 });
    // The same resamples: every resampled difference is 0.25 (up to rounding).
    expect(paired.difference.estimate).toBeCloseTo(0.25, 12);
    expect(paired.difference.low).toBeCloseTo(0.25, 12);
    expect(paired.difference.high).toBeCloseTo(0.25, 12);
    // Each method alone has a real spread.
    expect(paired.a.high - paired.a.low).toBeGreaterThan(0.02);
    expect(paired.a).toEqual(bootstrapCell(shifted, { seed: 9, resamples: 3000 }));
  });

  it('finds a known difference between two noisy methods and none between a method and itself', () => {
    const cells = [0, 1, 2].map((t) => ({
      better: cellAt(10, 300, 0.7, t),
      worse: cellAt(10, 300, 0.5, t + 100),
    }));
    const paired = pairedBootstrap(
      cells.map((c) => c.better),
      cells.map((c) => c.worse),
      { seed: 1, resamples: 4000 },
    );
    const truth = paired.a.estimate - paired.b.estimate;
    expect(truth).toBeGreaterThan(0.15);
    expect(paired.difference.estimate).toBeCloseTo(truth, 12);
    expect(paired.difference.low).toBeGreaterThan(0);
    expect(paired.difference.low).toBeLessThan(truth);
    expect(paired.difference.high).toBeGreaterThan(truth);
    const self = pairedBootstrap(
      cells.map((c) => c.better),
      cells.map((c) => c.better),
      { seed: 1, resamples: 500 },
    );
    expect(self.difference).toEqual({ estimate: 0, low: 0, high: 0 });
    expect(
      bootstrapAverage(
        cells.map((c) => c.better),
        { seed: 1, resamples: 4000 },
      ),
    ).toEqual(paired.a);
  });

  it('names the bad cell', () => {
    expect(() => bootstrapCell([], { seed: 1 })).toThrow(/no user prompt/);
    expect(() => bootstrapCell([[1, 0], [1]], { seed: 1 })).toThrow(/row 1 has 1 examples, row 0 has 2/);
    expect(() => bootstrapCell([[1, Number.NaN]], { seed: 1 })).toThrow(/row 0, column 1/);
    expect(() => pairedBootstrap([[[1, 0]]], [[[1, 0, 1]]], { seed: 1 })).toThrow(
      /1 x 2 in a but 1 x 3 in b/,
    );
    expect(() => bootstrapCell([[1]], { seed: 1, level: 1 })).toThrow(/level/);
  });

  it('runs 10,000 resamples of a 10 x 500 cell in well under a second', () => {
    const cell = cellAt(10, 500, 0.6, 23);
    const started = performance.now();
    const result = bootstrapCell(cell, { seed: 42 });
    const ms = performance.now() - started;
    console.info(`bootstrap: 10,000 resamples of 10 x 500 in ${ms.toFixed(0)} ms`);
    expect(ms).toBeLessThan(1000);
    expect(result.high - result.low).toBeGreaterThan(0);
  });
});
