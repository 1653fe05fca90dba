import { describe, expect, it } from 'vitest';
import { canonicalJson, sha256Hex, stableHash } from './hash.js';
import { createRng, seedFrom, shuffled } from './random.js';

describe('deterministic randomness', () => {
  it('gives the same sequence for the same seed parts and a different one otherwise', () => {
    const a = createRng(seedFrom(42, 'train', 'task-a'));
    const b = createRng(seedFrom(42, 'train', 'task-a'));
    const c = createRng(seedFrom(42, 'train', 'task-b'));
    const seqA = Array.from({ length: 5 }, a);
    expect(Array.from({ length: 5 }, b)).toEqual(seqA);
    expect(Array.from({ length: 5 }, c)).not.toEqual(seqA);
    expect(seqA.every((x) => x >= 0 && x < 1)).toBe(true);
  });

  it('shuffles to a permutation without touching the input', () => {
    const items = [1, 2, 3, 4, 5, 6, 7, 8];
    const out = shuffled(items, createRng(7));
    expect(items).toEqual([1, 2, 3, 4, 5, 6, 7, 8]);
    expect([...out].sort((x, y) => x - y)).toEqual(items);
    expect(out).not.toEqual(items);
  });

  it('hashes canonically: key order and undefined fields do not matter', () => {
    expect(canonicalJson({ b: 1, a: { d: [1, { z: 1, y: 2 }], c: undefined } })).toBe(
      '{"a":{"d":[1,{"y":2,"z":1}]},"b":1}',
    );
    expect(stableHash({ x: 1, y: 2 })).toBe(stableHash({ y: 2, x: 1 }));
    expect(stableHash({ x: 1 })).not.toBe(stableHash({ x: 2 }));
  });

  it('is SHA-256 (cache keys stay the same across versions), of text and of bytes', () => {
    const abc = 'ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad';
    expect(sha256Hex('abc')).toBe(abc);
    expect(sha256Hex(new TextEncoder().encode('abc'))).toBe(abc);
  });
});
