/**
 * SQuAD answer normalisation (the official evaluate-v1.1 script): lowercase, drop punctuation,
 * drop the articles a/an/the, collapse whitespace. Punctuation here is every Unicode
 * punctuation or symbol character (a superset of Python's `string.punctuation`), so curly
 * quotes and dashes a model writes are dropped like their ASCII forms.
 */
const PUNCTUATION = /[\p{P}\p{S}]/gu;
const ARTICLES = /\b(?:a|an|the)\b/g;
const WHITESPACE = /\s+/g;

export function normalizeAnswer(text: string): string {
  return text.toLowerCase().replace(PUNCTUATION, '').replace(ARTICLES, ' ').replace(WHITESPACE, ' ').trim();
}

/** The normalised answer split into tokens (SQuAD's `get_tokens`). */
export function answerTokens(text: string): string[] {
  const normalised = normalizeAnswer(text);
  return normalised === '' ? [] : normalised.split(' ');
}

/**
 * Punctuation becomes a space rather than vanishing, so "yes/no" or "B)" split into words; used
 * to look for words inside prose, never for scoring.
 */
export function wordsOf(text: string): string[] {
  return text
    .toLowerCase()
    .replace(PUNCTUATION, ' ')
    .split(WHITESPACE)
    .filter((w) => w !== '');
}
