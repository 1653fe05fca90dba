/**
 * The tags of the optimizer's meta-prompts. Every request shows the prompt being improved inside
 * `current_prompt`, failures or demonstrations inside `examples` and an earlier analysis inside
 * `analysis` (these input tags are fixed), and names the tag its reply must be written in as an
 * empty pair `<tag></tag>`, the last one of the request. The built-in set's reply tags are
 * `analysis`, `system_prompt` and `user_prompt`; another set may name them differently.
 */
export const META_TAGS = {
  currentPrompt: 'current_prompt',
  examples: 'examples',
  analysis: 'analysis',
  systemPrompt: 'system_prompt',
  userPrompt: 'user_prompt',
} as const;
/**
 * A reply tag. The built-in meta-prompt set uses the names above; another set may name its
 * reply tags differently (its requests name the tag they want, as `<tag></tag>`).
 */
export type MetaTag = string;

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
