/**
 * Finds, in a text, the longest indexed string that starts at some position, by the first
 * `length` characters of the indexed strings. Each position's window is hashed incrementally
 * (Rabin-Karp), so scanning a message costs a few multiplications per character instead of a
 * substring and a string-keyed map lookup per character. Templated questions share long
 * beginnings, so one bucket can hold thousands: buckets are sorted and binary-searched.
 */
export interface PrefixIndex {
  /** Indexes `text` (at least `length` characters long). */
  add(text: string): void;
  /**
   * The longest indexed string found in `text`; of equally long ones, the one found first.
   * The same answer as trying every indexed string at every position.
   */
  longestAt(text: string): string | undefined;
}

/** Hashes wrap at 2^32 (Math.imul): a collision only costs a comparison, and int32 arithmetic is what V8 does fastest. */
const BASE = 131;
const FILTER_BITS = 1 << 16;

export function createPrefixIndex(length: number): PrefixIndex {
  const buckets = new Map<number, Bucket>();
  // A bit per hash & 0xffff: most windows miss and skip the map lookup.
  const filter = new Uint8Array(FILTER_BITS >> 3);
  // BASE^(length-1), to drop the outgoing character.
  let highPower = 1;
  for (let i = 1; i < length; i += 1) highPower = Math.imul(highPower, BASE);

  const hashOf = (text: string, from: number): number => {
    let hash = 0;
    for (let i = from; i < from + length; i += 1) hash = (Math.imul(hash, BASE) + text.charCodeAt(i)) | 0;
    return hash;
  };
  const mayHold = (hash: number) => (filter[(hash & 0xffff) >> 3]! & (1 << (hash & 7))) !== 0;

  return {
    add(text) {
      const hash = hashOf(text, 0);
      filter[(hash & 0xffff) >> 3]! |= 1 << (hash & 7);
      const bucket = buckets.get(hash);
      if (bucket) {
        bucket.texts.push(text);
        bucket.sorted = false;
      } else buckets.set(hash, { texts: [text], sorted: true });
    },
    longestAt(text) {
      if (buckets.size === 0 || text.length < length) return undefined;
      let best: string | undefined;
      let hash = hashOf(text, 0);
      for (let i = 0; ; i += 1) {
        const bucket = mayHold(hash) ? buckets.get(hash) : undefined;
        if (bucket) {
          const found = longestPrefixOf(bucket, text.slice(i));
          if (found !== undefined && (!best || found.length > best.length)) best = found;
        }
        if (i + length >= text.length) return best;
        const outgoing = Math.imul(text.charCodeAt(i), highPower);
        hash = (Math.imul((hash - outgoing) | 0, BASE) + text.charCodeAt(i + length)) | 0;
      }
    },
  };
}

interface Bucket {
  texts: string[];
  sorted: boolean;
}

/**
 * The longest string of the bucket that `text` starts with. In code-unit order the prefixes of
 * `text` are the largest entries not above it; when the largest such entry is not a prefix,
 * any prefix is no longer than their common part, so the search repeats on that part.
 */
function longestPrefixOf(bucket: Bucket, text: string): string | undefined {
  if (!bucket.sorted) {
    bucket.texts.sort();
    bucket.sorted = true;
  }
  const texts = bucket.texts;
  let target = text;
  let end = texts.length;
  for (;;) {
    end = countNotAbove(texts, target, end);
    if (end === 0) return undefined;
    const candidate = texts[end - 1]!;
    if (target.startsWith(candidate)) return candidate;
    target = target.slice(0, commonPrefixLength(candidate, target));
  }
}

/** How many of the first `end` (sorted) texts are <= `target`. */
function countNotAbove(texts: string[], target: string, end: number): number {
  let low = 0;
  let high = end;
  while (low < high) {
    const mid = (low + high) >>> 1;
    if (texts[mid]! <= target) low = mid + 1;
    else high = mid;
  }
  return low;
}

function commonPrefixLength(a: string, b: string): number {
  const max = Math.min(a.length, b.length);
  let i = 0;
  while (i < max && a.charCodeAt(i) === b.charCodeAt(i)) i += 1;
  return i;
}
