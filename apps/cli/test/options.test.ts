import { describe, expect, it } from 'vitest';
import { integer } from '../src/options.js';

describe('integer option parser', () => {
  it('accepts whole numbers and names what it expected otherwise', () => {
    expect(integer('12')).toBe(12);
    expect(integer('-3')).toBe(-3);
    expect(() => integer('abc')).toThrow('expected a whole number');
    expect(() => integer('2.5')).toThrow('expected a whole number');
  });
});
