import { type ChatMessage, META_TAGS, type RunConfig, type WrongExample } from '@metaspo/schemas';
import { invalidInput } from '@metaspo/service-kit';
import { BUILTIN_META_PROMPTS_YAML } from './builtin.js';
import {
  loadMetaPromptSet,
  type MetaPromptRole,
  type MetaPromptSet,
  type Placeholder,
  ROLE_SPECS,
} from './template-set.js';

export interface Demonstration {
  question: string;
  answer: string;
}

/** One optimizer request: its messages and the tag its reply must carry. */
export interface MetaRequest {
  messages: ChatMessage[];
  replyTag: string;
}

export const BUILTIN_META_PROMPTS: MetaPromptSet = loadMetaPromptSet(BUILTIN_META_PROMPTS_YAML, 'builtin');

const loaded = new Map<string, MetaPromptSet>();

/**
 * The meta-prompt set a run uses: the built-in one, or the one whose text its config carries.
 * A bare path means the client did not read the file (the server never reads client paths).
 */
export function metaPromptsOf(config: Pick<RunConfig, 'metaPrompts'>): MetaPromptSet {
  const choice = config.metaPrompts;
  if (choice === undefined) return BUILTIN_META_PROMPTS;
  if (typeof choice === 'string') {
    throw invalidInput(
      `metaPrompts: "${choice}" is a path; send the file's text as metaPrompts: {source, text} ` +
        '(metaspo train reads it relative to the config file)',
      [{ path: 'metaPrompts', message: 'a path must be resolved by the client' }],
    );
  }
  const key = `${choice.source}\n${choice.text}`;
  let set = loaded.get(key);
  if (!set) {
    set = loadMetaPromptSet(choice.text, choice.source);
    loaded.set(key, set);
  }
  return set;
}

const wrap = (tag: string, body: string) => `<${tag}>\n${body}\n</${tag}>`;

function formatFailures(examples: readonly WrongExample[]): string {
  if (examples.length === 0) return '(no wrong answers were recorded for this prompt)';
  return examples
    .map(
      (e, i) =>
        `### Failure ${i + 1}\nModel input:\n${e.prompt}\n\nModel response:\n${e.response}\n\n` +
        `Answer read from the response: ${e.prediction ?? '(none could be read)'}\nCorrect answer: ${e.gold}`,
    )
    .join('\n\n');
}

function formatDemonstrations(demos: readonly Demonstration[]): string {
  return demos.map((d) => `Input:\n${d.question}\nOutput:\n${d.answer}`).join('\n\n');
}

type Values = Partial<Record<Exclude<Placeholder, 'question'>, string>>;

/**
 * Fills a template. Inserted values carry the input tags of META_TAGS (the prompt under study
 * inside <current_prompt>, failures or demonstrations inside <examples>, an analysis inside
 * <analysis>), so a reader (the simulator included) finds them whatever the template's prose;
 * a system prompt shown as context in a user-prompt template is inserted as it is.
 */
function renderMetaRequest(set: MetaPromptSet, role: MetaPromptRole, values: Values): MetaRequest {
  const template = set.templates[role];
  const studied = ROLE_SPECS[role].studied;
  const given = new Map<string, string | undefined>(Object.entries(values));
  const filled = (name: string): string => {
    if (name === 'question') return '{question}';
    const value = given.get(name) ?? '';
    if (name === studied) return wrap(META_TAGS.currentPrompt, value);
    if (name === 'failures' || name === 'demonstrations') return wrap(META_TAGS.examples, value);
    if (name === 'analysis') return wrap(META_TAGS.analysis, value);
    return value;
  };
  // One pass, so a value that contains "{analysis}" is not filled in again.
  const user = template.user.replace(/\{([A-Za-z_][A-Za-z0-9_]*)\}/g, (_, name: string) => filled(name));
  const messages: ChatMessage[] = template.system
    ? [
        { role: 'system', content: template.system },
        { role: 'user', content: user },
      ]
    : [{ role: 'user', content: user }];
  return { messages, replyTag: template.reply };
}

interface UserAnalysisInput {
  systemPrompt: string;
  userPrompt: string;
  failures: readonly WrongExample[];
}

/** Inner loop, call 1: the user-prompt analyst. */
export function userAnalysisRequest(set: MetaPromptSet, input: UserAnalysisInput): MetaRequest {
  return renderMetaRequest(set, 'userAnalysis', {
    system_prompt: input.systemPrompt,
    user_prompt: input.userPrompt,
    failures: formatFailures(input.failures),
  });
}

/** Inner loop, call 2: the user-prompt writer. */
export function userRewriteRequest(
  set: MetaPromptSet,
  input: UserAnalysisInput & { analysis: string },
): MetaRequest {
  return renderMetaRequest(set, 'userRewrite', {
    system_prompt: input.systemPrompt,
    user_prompt: input.userPrompt,
    failures: formatFailures(input.failures),
    analysis: input.analysis,
  });
}

/** Outer loop, call 1: the system-prompt analyst. */
export function systemAnalysisRequest(
  set: MetaPromptSet,
  input: { systemPrompt: string; failures: readonly WrongExample[] },
): MetaRequest {
  return renderMetaRequest(set, 'systemAnalysis', {
    system_prompt: input.systemPrompt,
    failures: formatFailures(input.failures),
  });
}

/** Outer loop, call 2: the system-prompt writer. */
export function systemRewriteRequest(
  set: MetaPromptSet,
  input: { systemPrompt: string; analysis: string },
): MetaRequest {
  return renderMetaRequest(set, 'systemRewrite', {
    system_prompt: input.systemPrompt,
    analysis: input.analysis,
  });
}

/** APE: an instruction (user or system prompt) inferred from demonstrations. */
export function apeProposalRequest(
  set: MetaPromptSet,
  input: { demonstrations: readonly Demonstration[]; target: 'user' | 'system' },
): MetaRequest {
  return renderMetaRequest(set, input.target === 'user' ? 'apeUser' : 'apeSystem', {
    demonstrations: formatDemonstrations(input.demonstrations),
  });
}

/** APE's resampling step: a variation of a good user prompt with the same meaning. */
export function apeResampleRequest(set: MetaPromptSet, input: { userPrompt: string }): MetaRequest {
  return renderMetaRequest(set, 'apeResample', { user_prompt: input.userPrompt });
}
