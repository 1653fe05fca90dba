/**
 * Tags are matched case-insensitively and tolerate whitespace inside the brackets
 * (`< Answer >`, `</ANSWER >`), because small models are careless with them. One run of
 * whitespace before the optional slash, not two around it: `<\s*\/?\s*answer` tried every
 * split of a long run of spaces between the two, quadratic in its length.
 */
const ANSWER_TAG = /<\s*(?:(\/)\s*)?answer\s*>/gi;

/**
 * The part of a response that holds the answer: the content of the last non-empty
 * `<answer>...</answer>`; an opening tag never closed (a reply cut off by the token limit)
 * runs to the end of the response. Without any non-empty tag, the whole response with its
 * tags removed.
 */
export function answerText(response: string): string {
  let last: string | null = null;
  let openedAt: number | null = null;
  for (const tag of response.matchAll(ANSWER_TAG)) {
    const isClosing = tag[1] === '/';
    if (!isClosing) {
      openedAt = tag.index + tag[0].length;
      continue;
    }
    if (openedAt === null) continue;
    const content = response.slice(openedAt, tag.index).trim();
    if (content !== '') last = content;
    openedAt = null;
  }
  if (openedAt !== null) {
    const unclosed = response.slice(openedAt).trim();
    if (unclosed !== '') last = unclosed;
  }
  return last ?? response.replace(ANSWER_TAG, ' ').trim();
}
