import {
  type DatasetsClient,
  DEFAULT_SYSTEM_PROMPT,
  FIXED_SYSTEM_PROMPT_LABELS,
  type FixedSystemPromptLabel,
  type LabelledSystemPrompt,
  type MetaTestSystemPrompt,
} from '@metaspo/schemas';

/**
 * The platform's own texts of the fixed comparison system prompts. They are used, labelled
 * `builtin`, only where the registry has not fetched the reference's files.
 */
export const CHAIN_OF_THOUGHT_SYSTEM_PROMPT =
  'You are a helpful assistant. Before you answer, reason through the problem step by step, ' +
  'checking each step, and only then state your final answer.';

export const SERVICE_SYSTEM_PROMPT = [
  'You are a dependable assistant working for a team that relies on precise, well-grounded answers.',
  'Read every request in full before you reply, and pay attention to any instructions about the ' +
    'form the answer must take: if a format, a set of allowed options or a label list is given, ' +
    'answer in exactly that form.',
  'Work from the information in the request. When a question needs reasoning, think it through ' +
    'carefully and check your conclusion against the details you were given; do not invent facts.',
  'Be concise and neutral in tone. If a request is ambiguous, choose the most reasonable reading ' +
    'and answer it rather than refusing. Decline only requests that would cause harm, and say briefly why.',
  'Finish with a clear final answer so that the reader never has to guess what you concluded.',
].join('\n');

const BUILTIN_TEXTS: Readonly<Record<FixedSystemPromptLabel, string>> = {
  default: DEFAULT_SYSTEM_PROMPT,
  'chain-of-thought': CHAIN_OF_THOUGHT_SYSTEM_PROMPT,
  service: SERVICE_SYSTEM_PROMPT,
};

export const FIXED_SYSTEM_PROMPTS: readonly LabelledSystemPrompt[] = FIXED_SYSTEM_PROMPT_LABELS.map(
  (label) => ({ label, prompt: BUILTIN_TEXTS[label] }),
);

/**
 * default, chain-of-thought and service, in that order: the reference's text of each where the
 * registry holds its file (`reference`), else the platform's own (`builtin`).
 */
export async function fixedSystemPrompts(
  datasets: DatasetsClient,
  signal?: AbortSignal,
): Promise<MetaTestSystemPrompt[]> {
  const reference = await datasets.protocol.systemPrompts.query(undefined, signal ? { signal } : undefined);
  return FIXED_SYSTEM_PROMPT_LABELS.map((label) => {
    const fetched = reference.find((p) => p.label === label);
    if (fetched) return { label, prompt: fetched.prompt, origin: 'reference' };
    return { label, prompt: BUILTIN_TEXTS[label], origin: 'builtin' };
  });
}
