import { createHash } from 'node:crypto';

/**
 * Deterministic randomness: every random choice in the platform takes its seed from the parts
 * that identify it (run seed, step, task, candidate index...), never from Math.random, so that
 * the same inputs give the same choices in every process and on every machine.
 */
export function seedFrom(...parts: ReadonlyArray<string | number>): number {
  const digest = createHash('sha256').update(parts.map(String).join('\u001f')).digest();
  return digest.readUInt32LE(0);
}

export type Rng = () => number;

/** mulberry32: small, fast, good enough for sampling and shuffling. Returns floats in [0, 1). */
export function createRng(seed: number): Rng {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

/** Fisher-Yates on a copy. */
export function shuffled<T>(items: readonly T[], rng: Rng): T[] {
  const out = items.slice();
  for (let i = out.length - 1; i > 0; i -= 1) {
    const j = Math.floor(rng() * (i + 1));
    [out[i], out[j]] = [out[j]!, out[i]!];
  }
  return out;
}

export function sampleWithoutReplacement<T>(items: readonly T[], k: number, rng: Rng): T[] {
  return shuffled(items, rng).slice(0, Math.max(0, k));
}

export function randomInt(rng: Rng, minInclusive: number, maxExclusive: number): number {
  return minInclusive + Math.floor(rng() * (maxExclusive - minInclusive));
}
