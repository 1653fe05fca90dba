import type { ChatMessage, WrongExample } from '@metaspo/schemas';
import {
  apeProposalRequest,
  apeResampleRequest,
  BUILTIN_META_PROMPTS,
  type Demonstration,
  systemAnalysisRequest,
  systemRewriteRequest,
  userAnalysisRequest,
  userRewriteRequest,
} from './meta-prompts/render.js';

/**
 * Every optimizer meta-prompt comes from a meta-prompt set: a versioned YAML file of templates
 * (docs/meta-prompts.md). The built-in set is meta-prompts/builtin.ts; a run's config may name
 * another (`metaPrompts`), and `metaPromptsOf(config)` returns the one a run uses. Its hash is
 * part of the export and of the unseen-task user-prompt key; a changed text is a different
 * cache entry at the gateway anyway.
 *
 * The `...Request` functions take the set and return the messages with the reply tag the set
 * asks for: a caller must read the reply in that tag. The `...Prompt` functions below render
 * the built-in set only, whose reply tags are the names of META_TAGS.
 */
export {
  apeProposalRequest,
  apeResampleRequest,
  BUILTIN_META_PROMPTS,
  type Demonstration,
  type MetaRequest,
  metaPromptsOf,
  renderMetaRequest,
  systemAnalysisRequest,
  systemRewriteRequest,
  userAnalysisRequest,
  userRewriteRequest,
} from './meta-prompts/render.js';
export {
  loadMetaPromptSet,
  META_PROMPT_ROLES,
  META_PROMPTS_FORMAT,
  type MetaPromptRole,
  type MetaPromptSet,
  PLACEHOLDERS,
  ROLE_SPECS,
} from './meta-prompts/template-set.js';

/** The built-in set's hash (the export and cache keys of runs that use another set carry theirs). */
export const META_PROMPTS_VERSION = BUILTIN_META_PROMPTS.hash;

export function userAnalysisPrompt(input: {
  systemPrompt: string;
  userPrompt: string;
  failures: readonly WrongExample[];
}): ChatMessage[] {
  return userAnalysisRequest(BUILTIN_META_PROMPTS, input).messages;
}

export function userRewritePrompt(input: {
  systemPrompt: string;
  userPrompt: string;
  failures: readonly WrongExample[];
  analysis: string;
}): ChatMessage[] {
  return userRewriteRequest(BUILTIN_META_PROMPTS, input).messages;
}

export function systemAnalysisPrompt(input: {
  systemPrompt: string;
  failures: readonly WrongExample[];
}): ChatMessage[] {
  return systemAnalysisRequest(BUILTIN_META_PROMPTS, input).messages;
}

export function systemRewritePrompt(input: { systemPrompt: string; analysis: string }): ChatMessage[] {
  return systemRewriteRequest(BUILTIN_META_PROMPTS, input).messages;
}

export function apeProposalPrompt(input: {
  demonstrations: readonly Demonstration[];
  target: 'user' | 'system';
}): ChatMessage[] {
  return apeProposalRequest(BUILTIN_META_PROMPTS, input).messages;
}

export function apeResamplePrompt(input: { userPrompt: string }): ChatMessage[] {
  return apeResampleRequest(BUILTIN_META_PROMPTS, input).messages;
}
