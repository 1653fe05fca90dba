import { describe, expect, it } from 'vitest';
import { createPythonRandom } from './python-random.js';

// Expected values printed by CPython 3.11:
//   random.seed(42); random.getrandbits(64); random.getrandbits(8)
//   random.seed(42); l = list(range(10)); random.shuffle(l); random.random()
describe('Python random draws consume the generator as CPython does', () => {
  it('draws a 64-bit getrandbits in exactly two words, so the next draw matches', () => {
    const rng = createPythonRandom(42);
    expect(rng.getrandbits(64)).toBe(2053695854357871005n);
    expect(rng.getrandbits(8)).toBe(6n);
  });

  it('shuffles without a draw for the last position, so random() after a shuffle matches', () => {
    const rng = createPythonRandom(42);
    const items = Array.from({ length: 10 }, (_, i) => i);
    rng.shuffle(items);
    expect(items).toEqual([7, 3, 2, 8, 5, 6, 9, 4, 0, 1]);
    expect(rng.random()).toBe(0.5904925124490397);
  });

  it('refuses a fractional seed with its own message, before BigInt would', () => {
    expect(() => createPythonRandom(1.5)).toThrow(
      'Python random seed must be an integer (a number or a bigint), got 1.5',
    );
  });
});
