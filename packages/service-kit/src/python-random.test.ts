import { describe, expect, it } from 'vitest';
import { sha256Hex } from './hash.js';
import { createPythonRandom, pythonShuffled } from './python-random.js';

// Every expected value below was printed by CPython 3.11.7 (`python3 -c "..."` as written next
// to it, with `import random` first); none is computed by the code under test.
const words32 = (seed: number | bigint, count: number) => {
  const rng = createPythonRandom(seed);
  return Array.from({ length: count }, () => Number(rng.getrandbits(32)));
};

describe('Python random, bit for bit', () => {
  it('seeds like random.seed(int): small, zero, negative, multi-word and longer-than-state keys', () => {
    // random.seed(S); print([random.getrandbits(32) for _ in range(3)])
    expect(words32(0, 3)).toEqual([3626764237, 1654615998, 3255389356]);
    expect(words32(42, 3)).toEqual([2746317213, 478163327, 107420369]);
    expect(words32(2 ** 40 + 3, 3)).toEqual([943978446, 261273136, 2359950418]);
    expect(words32(2 ** 32, 3)).toEqual([485306839, 1508871100, 1794561286]);
    // random.seed(-5) and random.seed(5) both give [2675342405, 1097127993, ...]
    expect(words32(-5, 2)).toEqual([2675342405, 1097127993]);
    expect(words32(5, 2)).toEqual([2675342405, 1097127993]);
    // random.seed(10**20): an integral double beyond 2**53 seeds as the int it is
    expect(words32(1e20, 1)).toEqual([78147056]);
    // random.seed(2**(32*700)-1): a key of 700 words, more than the 624 words of state
    expect(words32((1n << (32n * 700n)) - 1n, 3)).toEqual([2830013534, 1750515526, 2872926267]);
  });

  it('draws getrandbits of 0, 1, 40 and 100 bits in one sequence', () => {
    // random.seed(42); print(random.getrandbits(0), random.getrandbits(1), random.getrandbits(40), random.getrandbits(100))
    const rng = createPythonRandom(42);
    expect([rng.getrandbits(0), rng.getrandbits(1), rng.getrandbits(40), rng.getrandbits(100)]).toEqual([
      0n,
      1n,
      26247967103n,
      257086819302815227845767741691n,
    ]);
  });

  it('gives random() and _randbelow as Python does', () => {
    // random.seed(42); print([random.random() for _ in range(3)])
    const rng = createPythonRandom(42);
    expect([rng.random(), rng.random(), rng.random()]).toEqual([
      0.6394267984578837, 0.025010755222666936, 0.27502931836911926,
    ]);
    // random.seed(7); r = random._inst; print([r._randbelow(n) for n in (1, 2, 3, 1000, 2**32, 2**33+1, 2**53-1)])
    const below = createPythonRandom(7);
    expect([1, 2, 3, 1000, 2 ** 32, 2 ** 33 + 1, 2 ** 53 - 1].map((n) => below.randbelow(n))).toEqual([
      0, 0, 1, 666, 207388624, 4699252753, 522407965202525,
    ]);
  });

  it('shuffles like random.shuffle, on a copy with pythonShuffled', () => {
    // random.seed(42); x = list(range(10)); random.shuffle(x); print(x)
    const items = Array.from({ length: 10 }, (_, i) => i);
    expect(pythonShuffled(items, 42)).toEqual([7, 3, 2, 8, 5, 6, 9, 4, 0, 1]);
    expect(items).toEqual([0, 1, 2, 3, 4, 5, 6, 7, 8, 9]);
    // random.seed(123); x = list(range(2000)); random.shuffle(x)
    // print(x[:5], hashlib.sha256(','.join(map(str, x)).encode()).hexdigest())
    const big = pythonShuffled(
      Array.from({ length: 2000 }, (_, i) => i),
      123,
    );
    expect(big.slice(0, 5)).toEqual([1326, 555, 1501, 1809, 484]);
    expect(sha256Hex(big.join(','))).toBe('02f721af160f6c273cae3056349fefaf3974b39296d30b65f6c6f32806e0badd');
  });

  it('refuses seeds and bounds Python would not take as integers', () => {
    expect(() => createPythonRandom(1.5)).toThrow(/integer/);
    expect(() => createPythonRandom(42).randbelow(0)).toThrow(/n must be/);
    expect(() => createPythonRandom(42).getrandbits(-1)).toThrow(/k must be/);
  });
});
