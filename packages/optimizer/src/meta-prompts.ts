import { BUILTIN_META_PROMPTS } from './meta-prompts/render.js';

/**
 * Every optimizer meta-prompt comes from a meta-prompt set: a versioned YAML file of templates
 * (docs/meta-prompts.md). The built-in set is meta-prompts/builtin.ts; a run's config may name
 * another (`metaPrompts`), and `metaPromptsOf(config)` returns the one a run uses. Its hash is
 * part of the export and of the unseen-task user-prompt key; a changed text is a different
 * cache entry at the gateway anyway.
 *
 * The `...Request(set, input)` functions return the messages and the reply tag the set asks
 * for: a caller reads the reply in that tag.
 */
export {
  apeProposalRequest,
  apeResampleRequest,
  BUILTIN_META_PROMPTS,
  type Demonstration,
  type MetaRequest,
  metaPromptsOf,
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
} from './meta-prompts/template-set.js';

/** The built-in set's hash (the export and cache keys of runs that use another set carry theirs). */
export const META_PROMPTS_VERSION = BUILTIN_META_PROMPTS.hash;
