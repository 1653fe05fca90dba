/**
 * The tags the optimizer's meta-prompts use and the simulator recognises. A meta-prompt shows
 * the prompt being improved inside `current_prompt`, failures inside `examples`, and asks for
 * its reply inside exactly one of `analysis`, `system_prompt` or `user_prompt` (the last tag
 * named in a phrase like "inside <tag></tag>"). A rewrite request also carries the earlier
 * analysis inside `analysis`. APE-style requests show demonstrations inside `examples` and ask
 * for `user_prompt` or `system_prompt`.
 */
export const META_TAGS = {
  currentPrompt: 'current_prompt',
  examples: 'examples',
  analysis: 'analysis',
  systemPrompt: 'system_prompt',
  userPrompt: 'user_prompt',
} as const;
export type MetaTag = (typeof META_TAGS)[keyof typeof META_TAGS];

/** The phrase a meta-prompt ends with to request a reply inside `tag`. */
export function replyInsideTag(tag: MetaTag): string {
  return `Write your reply inside <${tag}></${tag}>.`;
}

/** The content of the last non-empty `<tag>...</tag>` in `text`, or null. */
export function extractTagged(text: string, tag: string): string | null {
  const pattern = new RegExp(`<${tag}>([\\s\\S]*?)</${tag}>`, 'gi');
  let last: string | null = null;
  for (const match of text.matchAll(pattern)) {
    const content = match[1]?.trim();
    if (content) last = content;
  }
  return last;
}
