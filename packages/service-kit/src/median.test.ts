import { describe, expect, it } from 'vitest';
import { medianBy, passCountOf } from './median.js';

describe('medianBy', () => {
  const speed = (p: { perSecond: number }) => p.perSecond;
  const pass = (perSecond: number) => ({ perSecond });

  it('is the middle item by value, whatever the order they came in', () => {
    const passes = [pass(7_000), pass(4_000), pass(6_000), pass(9_000), pass(5_000)];
    expect(medianBy(passes, speed)).toBe(passes[2]);
  });

  it('is the lower of the two middle items of an even count', () => {
    const passes = [pass(8_000), pass(5_000), pass(6_000), pass(7_000)];
    expect(medianBy(passes, speed)).toBe(passes[2]);
  });

  it('has no median of nothing', () => {
    expect(() => medianBy([], speed)).toThrow(RangeError);
  });
});

describe('passCountOf', () => {
  it('is the given count, else the fallback', () => {
    expect(passCountOf(3, 5)).toBe(3);
    expect(passCountOf(undefined, 5)).toBe(5);
  });

  it('refuses a count that is not a whole number of 1 or more, naming it', () => {
    for (const bad of [0, -1, 2.5, Number.NaN]) {
      expect(() => passCountOf(bad, 5)).toThrow(`passes must be 1 or more, got ${bad}`);
    }
  });
});
