import { describe, expect, it } from 'vitest';
import { nearestRankPercentile } from './percentile.js';

describe('nearestRankPercentile', () => {
  const ten = [1, 2, 3, 4, 5, 6, 7, 8, 9, 10];

  it('gives the value at rank ceil(p/100 * n), a measured value, never an interpolation', () => {
    expect(nearestRankPercentile(ten, 50)).toBe(5);
    expect(nearestRankPercentile(ten, 51)).toBe(6);
    expect(nearestRankPercentile(ten, 95)).toBe(10);
    expect(nearestRankPercentile(ten, 99)).toBe(10);
    expect(nearestRankPercentile([15, 20, 35, 40, 50], 30)).toBe(20);
    expect(nearestRankPercentile([15, 20, 35, 40, 50], 40)).toBe(20);
    expect(nearestRankPercentile([15, 20, 35, 40, 50], 50)).toBe(35);
  });

  it('takes the lowest value at 0, the highest at 100, one value for every p, and typed arrays', () => {
    expect(nearestRankPercentile(ten, 0)).toBe(1);
    expect(nearestRankPercentile(ten, 100)).toBe(10);
    expect(nearestRankPercentile([7], 1)).toBe(7);
    expect(nearestRankPercentile([7], 99)).toBe(7);
    expect(nearestRankPercentile(Float64Array.from([0.5, 1.5, 2.5, 3.5]), 75)).toBe(2.5);
  });

  it('is 0 for no values and refuses a p outside 0..100', () => {
    expect(nearestRankPercentile([], 50)).toBe(0);
    expect(() => nearestRankPercentile(ten, 101)).toThrow(RangeError);
    expect(() => nearestRankPercentile(ten, -1)).toThrow(RangeError);
    expect(() => nearestRankPercentile(ten, Number.NaN)).toThrow(RangeError);
  });
});
