import { type AnswerType, extractTagged, META_TAGS } from '@metaspo/schemas';
import type { AnswerKey } from './answer-key.js';
import { allTagged } from './text.js';

const REPLY_TAGS = [META_TAGS.analysis, META_TAGS.systemPrompt, META_TAGS.userPrompt].join('|');
const REPLY_PHRASE = new RegExp(`reply inside <(${REPLY_TAGS})></\\1>`, 'gi');
const EMPTY_REPLY_TAG = new RegExp(`<(${REPLY_TAGS})></\\1>`, 'gi');
const QUICK_REPLY_TAG = new RegExp(`<(${REPLY_TAGS})></\\1>`, 'i');

/**
 * The tag an optimizer request asks its reply in, or null for a base-model request: the last
 * reply tag named in "...reply inside <tag></tag>" (the META_TAGS contract), else the last
 * empty `<analysis></analysis>`, `<system_prompt></system_prompt>` or `<user_prompt></user_prompt>`.
 * Other tags (a task asking for `<answer></answer>`) leave the request to the base model.
 */
export function requestedReplyTag(text: string): string | null {
  // Most requests are base-model questions: one cheap test rules them out.
  if (!QUICK_REPLY_TAG.test(text)) return null;
  const tag = lastMatch(text, REPLY_PHRASE) ?? lastMatch(text, EMPTY_REPLY_TAG);
  return tag ? tag.toLowerCase() : null;
}

function lastMatch(text: string, pattern: RegExp): string | undefined {
  let last: string | undefined;
  for (const match of text.matchAll(pattern)) last = match[1];
  return last;
}

/** What the simulated optimizer reads in a meta-prompt. */
export interface MetaRequest {
  replyTag: string;
  /** The prompt to improve; null for APE-style requests (demonstrations only). */
  currentPrompt: string | null;
  examples: string;
  /** The earlier analysis a rewrite request carries, or null. */
  analysis: string | null;
}

export function parseMetaRequest(text: string, replyTag: string): MetaRequest {
  return {
    replyTag,
    currentPrompt: extractTagged(text, META_TAGS.currentPrompt),
    examples: allTagged(text, META_TAGS.examples).join('\n'),
    analysis: replyTag === META_TAGS.analysis ? null : extractTagged(text, META_TAGS.analysis),
  };
}

/** Domains (with counts) and answer type of the tasks whose examples a meta-prompt shows. */
export interface TaskProfile {
  domains: Map<string, number>;
  answerType: AnswerType | undefined;
  labelSpace: string[] | undefined;
}

export function profileExamples(examples: string, answerKey: AnswerKey): TaskProfile {
  const profile: TaskProfile = { domains: new Map(), answerType: undefined, labelSpace: undefined };
  const wrapped = allTagged(examples, 'question');
  const found = wrapped.map((q) => answerKey.lookup(q)).filter((e) => e !== undefined);
  if (found.length === 0 && examples !== '') {
    const inside = answerKey.lookup(examples);
    if (inside) found.push(inside);
  }
  for (const entry of found) {
    profile.domains.set(entry.domain, (profile.domains.get(entry.domain) ?? 0) + 1);
    profile.answerType ??= entry.answerType;
    profile.labelSpace ??= entry.labelSpace;
  }
  return profile;
}
