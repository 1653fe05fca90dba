/** Lower-cased, whitespace-collapsed text: the form in which questions and prompts are compared. */
export function normalise(text: string): string {
  return text.toLowerCase().replace(/\s+/g, ' ').trim();
}

const RECENT_LIMIT = 8_192;
const recentlyNormalised = new Map<string, string>();

/**
 * `normalise` remembering recent texts: the answer key and the model both normalise each
 * message and each question they see, usually the same string objects (whose hash V8 keeps).
 */
export function normaliseRecent(text: string): string {
  let normalised = recentlyNormalised.get(text);
  if (normalised === undefined) {
    normalised = normalise(text);
    if (recentlyNormalised.size >= RECENT_LIMIT) recentlyNormalised.clear();
    recentlyNormalised.set(text, normalised);
  }
  return normalised;
}

export function countWords(text: string): number {
  const trimmed = text.trim();
  return trimmed === '' ? 0 : trimmed.split(/\s+/).length;
}

/** Rough token count (4 characters a token), good enough for usage figures of a simulated model. */
export function approxTokens(text: string): number {
  return Math.max(1, Math.ceil(text.length / 4));
}

/** The inner texts of every `<tag>...</tag>`, in order, trimmed; empty ones dropped. */
export function allTagged(text: string, tag: string): string[] {
  const pattern = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'gi');
  const found: string[] = [];
  for (const match of text.matchAll(pattern)) {
    const content = match[1]?.trim();
    if (content) found.push(content);
  }
  return found;
}

/** Splits prose into sentences, keeping each sentence's final punctuation. */
export function splitSentences(text: string): string[] {
  return text
    .split(/(?<=[.!?])\s+|\n+/)
    .map((s) => s.trim())
    .filter((s) => s !== '');
}
