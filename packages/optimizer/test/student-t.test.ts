import { describe, expect, it } from 'vitest';
import { studentTCdf, studentTQuantile } from '../src/engine/student-t.js';

describe("Student's t", () => {
  it('gives the table quantiles (to 4 decimals) across degrees of freedom', () => {
    const table: Array<[p: number, df: number, t: number]> = [
      [0.975, 1, 12.7062],
      [0.95, 2, 2.92],
      [0.99, 5, 3.3649],
      [0.975, 10, 2.2281],
      [0.995, 30, 2.75],
      [0.9975, 24, 3.0905],
      [0.95, 1_000_000, 1.6449],
    ];
    for (const [p, df, t] of table) expect(studentTQuantile(p, df)).toBeCloseTo(t, 3);
  });

  it('is symmetric about 0, and its CDF inverts the quantile', () => {
    expect(studentTCdf(0, 7)).toBeCloseTo(0.5, 12);
    expect(studentTQuantile(0.5, 7)).toBeCloseTo(0, 9);
    expect(studentTQuantile(0.01, 9)).toBeCloseTo(-studentTQuantile(0.99, 9), 9);
    for (const [p, df] of [
      [0.9, 3],
      [0.999, 12],
      [0.99333, 6],
    ] as const) {
      expect(studentTCdf(studentTQuantile(p, df), df)).toBeCloseTo(p, 9);
    }
  });

  it('refuses a probability outside (0, 1) or no degrees of freedom', () => {
    expect(() => studentTQuantile(1, 5)).toThrow(RangeError);
    expect(() => studentTQuantile(0.9, 0)).toThrow(/no t quantile for p=0.9, df=0/);
  });
});
