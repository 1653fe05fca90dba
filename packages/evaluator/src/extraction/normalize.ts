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

/** Python's `string.punctuation`: the 32 ASCII punctuation characters, nothing else. */
const ASCII_PUNCTUATION = /[!-/:-@[-`{-~]/g;
/** `\b(a|an|the)\b` under Python's Unicode word boundaries (word characters: letters, digits, _). */
const PYTHON_ARTICLES = /(?<![\p{L}\p{N}_])(?:a|an|the)(?![\p{L}\p{N}_])/gu;
/** What Python's `str.split()` splits on (it includes \x1c-\x1f and \x85, not U+FEFF). */
// biome-ignore lint/suspicious/noControlCharactersInRegex: Python counts \x1c-\x1f as whitespace.
const PYTHON_WHITESPACE = /[\t-\r\x1c-\x20\x85\xa0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/g;

/**
 * `normalize_answer` of the official SQuAD v1.1 script, as the reference's grounding.py has
 * it: lowercase, drop ASCII punctuation, replace the articles a/an/the by a space, collapse
 * whitespace. Strict scoring uses it; curly quotes and other Unicode punctuation stay, as there.
 */
export function squadNormalize(text: string): string {
  return text
    .toLowerCase()
    .replace(ASCII_PUNCTUATION, '')
    .replace(PYTHON_ARTICLES, ' ')
    .split(PYTHON_WHITESPACE)
    .filter((token) => token !== '')
    .join(' ');
}
