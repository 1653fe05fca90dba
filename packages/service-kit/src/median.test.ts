import { describe, expect, it } from 'vitest';
import { medianBy } from './median.js';

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
