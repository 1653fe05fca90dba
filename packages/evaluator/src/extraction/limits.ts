/**
 * Extraction reads at most the last 64 KiB (65,536 UTF-16 code units) of a response. Answers
 * come at the end of a reply; a longer one is a model that looped, and capping it bounds the
 * work per item whatever the model sends (every pattern is also linear in what it reads).
 */
export const MAX_ANALYSED_CHARS = 65_536;

/** The analysed tail of a response, never starting in the middle of a surrogate pair. */
export function analysedTail(response: string): string {
  if (response.length <= MAX_ANALYSED_CHARS) return response;
  let start = response.length - MAX_ANALYSED_CHARS;
  const unit = response.charCodeAt(start);
  if (unit >= 0xdc00 && unit <= 0xdfff) start += 1;
  return response.slice(start);
}
