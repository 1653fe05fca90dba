import { DEFAULT_SYSTEM_PROMPT, type LabelledSystemPrompt } from '@metaspo/schemas';

/** The fixed system prompts optimized prompts are compared against (meta-test tables and curves). */
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

export const FIXED_SYSTEM_PROMPTS: readonly LabelledSystemPrompt[] = [
  { label: 'default', prompt: DEFAULT_SYSTEM_PROMPT },
  { label: 'chain-of-thought', prompt: CHAIN_OF_THOUGHT_SYSTEM_PROMPT },
  { label: 'service', prompt: SERVICE_SYSTEM_PROMPT },
];
