import { type AnswerType, extractTagged, META_TAGS } from '@metaspo/schemas';
import type { AnswerKey } from './answer-key.js';
import { allTagged } from './text.js';

/** The input blocks every optimizer request carries (the META_TAGS contract). */
const INPUT_BLOCK = new RegExp(`<(?:${META_TAGS.currentPrompt}|${META_TAGS.examples})>`, 'i');
const EMPTY_TAG_PAIR = /<([A-Za-z][A-Za-z0-9_-]*)><\/\1>/g;

/**
 * The tag an optimizer request asks its reply in, or null for a base-model request. An
 * optimizer request shows a prompt inside <current_prompt> or examples inside <examples>, and
 * names its reply tag as an empty pair `<tag></tag>`, the last one of the request (a template
 * set is checked for this when it is loaded). The tag is read from the request, so a set with
 * its own reply tag names needs nothing from the simulator.
 */
export function requestedReplyTag(text: string): string | null {
  if (!INPUT_BLOCK.test(text)) return null;
  return lastMatch(text, EMPTY_TAG_PAIR) ?? null;
}

function lastMatch(text: string, pattern: RegExp): string | undefined {
  let last: string | undefined;
  for (const match of text.matchAll(pattern)) last = match[1];
  return last;
}

/**
 * What is asked, read from the request's shape: a prompt with failures and no earlier analysis
 * is to be analysed; a prompt with an analysis (or alone, to paraphrase) is to be rewritten;
 * demonstrations alone ask for a new prompt.
 */
type MetaRequestKind = 'analysis' | 'rewrite' | 'proposal';

/** What the simulated optimizer reads in a meta-prompt. */
export interface MetaRequest {
  replyTag: string;
  kind: MetaRequestKind;
  /** The prompt to improve; null for APE-style requests (demonstrations only). */
  currentPrompt: string | null;
  examples: string;
  /** The earlier analysis a rewrite request carries, or null. */
  analysis: string | null;
}

export function parseMetaRequest(text: string, replyTag: string): MetaRequest {
  const currentPrompt = extractTagged(text, META_TAGS.currentPrompt);
  const examples = allTagged(text, META_TAGS.examples).join('\n');
  const analysis = extractTagged(text, META_TAGS.analysis);
  const kind: MetaRequestKind =
    currentPrompt === null ? 'proposal' : analysis === null && examples !== '' ? 'analysis' : 'rewrite';
  return { replyTag, kind, currentPrompt, examples, analysis };
}

/** Domains (with counts) and answer type of the tasks whose examples a meta-prompt shows. */
export interface TaskProfile {
  domains: Map<string, number>;
  /** Distinct tasks of the examples: demonstrations from several ask for a system prompt. */
  tasks: Set<string>;
  answerType: AnswerType | undefined;
  labelSpace: string[] | undefined;
}

export function profileExamples(examples: string, answerKey: AnswerKey): TaskProfile {
  const profile: TaskProfile = {
    domains: new Map(),
    tasks: new Set(),
    answerType: undefined,
    labelSpace: undefined,
  };
  const wrapped = allTagged(examples, 'question');
  const found = wrapped.map((q) => answerKey.lookup(q)).filter((e) => e !== undefined);
  if (found.length === 0 && examples !== '') {
    // Demonstrations show bare questions: each paragraph is looked up on its own.
    for (const paragraph of examples.split(/\n{2,}/)) {
      const inside = answerKey.lookup(paragraph);
      if (inside && !found.includes(inside)) found.push(inside);
    }
  }
  for (const entry of found) {
    profile.domains.set(entry.domain, (profile.domains.get(entry.domain) ?? 0) + 1);
    profile.tasks.add(entry.taskId);
    profile.answerType ??= entry.answerType;
    profile.labelSpace ??= entry.labelSpace;
  }
  return profile;
}
