/**
 * CPython's `random` module (3.11), bit for bit: the MT19937 generator of
 * `Modules/_randommodule.c` seeded the way `random.seed(int)` seeds it, and the
 * `getrandbits`, `random`, `_randbelow` and `shuffle` of `Lib/random.py` on top of it.
 *
 * It exists so that a split the reference implementation draws with
 * `random.seed(s); random.shuffle(xs)` can be drawn here item for item; the platform's own
 * choices keep using `createRng` (random.ts), which is smaller and faster to seed.
 */

const N = 624;
const M = 397;
const MATRIX_A = 0x9908b0df;
const UPPER_MASK = 0x80000000;
const LOWER_MASK = 0x7fffffff;

export interface PythonRandom {
  /** `random.getrandbits(k)`: a k-bit non-negative integer (k >= 0). */
  getrandbits(k: number): bigint;
  /** `random.random()`: a float in [0, 1) with 53 random bits. */
  random(): number;
  /** `random._randbelow(n)`: an integer in [0, n) for a safe integer n >= 1. */
  randbelow(n: number): number;
  /** `random.shuffle(items)`: shuffles the array in place, exactly as Python shuffles a list. */
  shuffle<T>(items: T[]): void;
}

/** Splits |seed| into 32-bit words, least significant first; 0 gives [0] (as CPython does). */
function seedKey(seed: number | bigint): Uint32Array {
  // Any integral double is exact as a bigint, so even 1e20 seeds as Python's int(1e20) does.
  if (typeof seed === 'number' && !Number.isInteger(seed)) {
    throw new RangeError(`Python random seed must be an integer (a number or a bigint), got ${seed}`);
  }
  let rest = BigInt(seed);
  if (rest < 0n) rest = -rest;
  const words: number[] = [];
  while (rest > 0n) {
    words.push(Number(rest & 0xffffffffn));
    rest >>= 32n;
  }
  return Uint32Array.from(words.length === 0 ? [0] : words);
}

/** `init_genrand` then `init_by_array` of CPython's `_randommodule.c`. */
function seededState(key: Uint32Array): Uint32Array {
  const mt = new Uint32Array(N);
  mt[0] = 19650218;
  for (let i = 1; i < N; i += 1) {
    const prev = mt[i - 1]!;
    mt[i] = Math.imul(1812433253, prev ^ (prev >>> 30)) + i;
  }
  let i = 1;
  let j = 0;
  for (let k = Math.max(N, key.length); k > 0; k -= 1) {
    const prev = mt[i - 1]!;
    mt[i] = (mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1664525)) + key[j]! + j;
    i += 1;
    j += 1;
    if (i >= N) {
      mt[0] = mt[N - 1]!;
      i = 1;
    }
    if (j >= key.length) j = 0;
  }
  for (let k = N - 1; k > 0; k -= 1) {
    const prev = mt[i - 1]!;
    mt[i] = (mt[i]! ^ Math.imul(prev ^ (prev >>> 30), 1566083941)) - i;
    i += 1;
    if (i >= N) {
      mt[0] = mt[N - 1]!;
      i = 1;
    }
  }
  mt[0] = 0x80000000;
  return mt;
}

/** `int.bit_length()` for a non-negative safe integer (exact, unlike Math.log2 near powers of 2). */
const bitLength = (n: number): number => (n < 2 ** 32 ? 32 - Math.clz32(n) : n.toString(2).length);

/** A generator in the state `random.seed(seed)` leaves Python's in (integer seeds only). */
export function createPythonRandom(seed: number | bigint): PythonRandom {
  const mt = seededState(seedKey(seed));
  let index = N;

  function twist(): void {
    for (let kk = 0; kk < N; kk += 1) {
      const y = (mt[kk]! & UPPER_MASK) | (mt[(kk + 1) % N]! & LOWER_MASK);
      mt[kk] = mt[(kk + M) % N]! ^ (y >>> 1) ^ (y & 1 ? MATRIX_A : 0);
    }
    index = 0;
  }

  function nextUint32(): number {
    if (index >= N) twist();
    let y = mt[index++]!;
    y ^= y >>> 11;
    y ^= (y << 7) & 0x9d2c5680;
    y ^= (y << 15) & 0xefc60000;
    return (y ^ (y >>> 18)) >>> 0;
  }

  /** getrandbits for 1 <= k <= 32, as a number: the path every shuffle of an array takes. */
  const smallBits = (k: number): number => nextUint32() >>> (32 - k);

  function getrandbits(k: number): bigint {
    if (!Number.isInteger(k) || k < 0)
      throw new RangeError(`getrandbits: k must be a non-negative integer, got ${k}`);
    if (k === 0) return 0n;
    if (k <= 32) return BigInt(smallBits(k));
    // Words are drawn least significant first; the last one keeps its top bits only.
    let result = 0n;
    for (let shift = 0n, left = k; left > 0; shift += 32n, left -= 32) {
      const word = left < 32 ? smallBits(left) : nextUint32();
      result |= BigInt(word) << shift;
    }
    return result;
  }

  function randbelow(n: number): number {
    if (!Number.isSafeInteger(n) || n < 1)
      throw new RangeError(`randbelow: n must be a safe integer >= 1, got ${n}`);
    const k = bitLength(n);
    if (k <= 32) {
      let r = smallBits(k);
      while (r >= n) r = smallBits(k);
      return r;
    }
    const limit = BigInt(n);
    let r = getrandbits(k);
    while (r >= limit) r = getrandbits(k);
    return Number(r);
  }

  return {
    getrandbits,
    random() {
      const a = nextUint32() >>> 5;
      const b = nextUint32() >>> 6;
      return (a * 67108864 + b) / 9007199254740992;
    },
    randbelow,
    shuffle<T>(items: T[]): void {
      for (let i = items.length - 1; i > 0; i -= 1) {
        const j = randbelow(i + 1);
        const swap = items[i]!;
        items[i] = items[j]!;
        items[j] = swap;
      }
    },
  };
}

/** `random.seed(seed); random.shuffle(copy)` on a copy of the items. */
export function pythonShuffled<T>(items: readonly T[], seed: number | bigint): T[] {
  const copy = items.slice();
  createPythonRandom(seed).shuffle(copy);
  return copy;
}
