import {
  type ChatMessage,
  META_TAGS,
  type MetaTag,
  replyInsideTag,
  type WrongExample,
} from '@metaspo/schemas';

/**
 * Every meta-prompt the optimizer model receives, in one place. Bump the version whenever a
 * text changes: it is part of the export and of the unseen-task user-prompt cache key, and a
 * changed text is a different cache entry at the gateway anyway.
 *
 * Tag contract (packages/schemas meta-prompt-tags.ts, recognised by the simulator): the prompt
 * being improved goes inside <current_prompt>, failures or demonstrations inside <examples>,
 * an earlier analysis inside <analysis>, and the last line is `replyInsideTag(tag)`. No other
 * line may use the phrase "inside <tag></tag>", since the last such phrase names the reply tag.
 */
export const META_PROMPTS_VERSION = 'metaspo-meta-prompts/1';

export interface Demonstration {
  question: string;
  answer: string;
}

const wrap = (tag: MetaTag, body: string) => `<${tag}>\n${body}\n</${tag}>`;

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

const OPTIMIZER_ROLE =
  'You are an expert in prompt engineering. You study how a language model fails and you write ' +
  'clearer, more effective prompts for it.';

function messages(body: string[]): ChatMessage[] {
  return [
    { role: 'system', content: OPTIMIZER_ROLE },
    { role: 'user', content: body.join('\n\n') },
  ];
}

/** Inner loop, call 1: why does this user prompt (under this system prompt) fail? */
export function userAnalysisPrompt(input: {
  systemPrompt: string;
  userPrompt: string;
  failures: readonly WrongExample[];
}): ChatMessage[] {
  return messages([
    'A language model answered some questions of a task incorrectly. It was given a fixed system ' +
      `prompt and the task prompt below, in which {question} stands for each question.\n\nSystem prompt:\n${input.systemPrompt}`,
    `Task prompt under study:\n${wrap(META_TAGS.currentPrompt, input.userPrompt)}`,
    `Questions it got wrong:\n${wrap(META_TAGS.examples, formatFailures(input.failures))}`,
    'Explain, for each failure, what in the task prompt let the model go wrong, then list the ' +
      'concrete changes to the task prompt that would prevent those mistakes. Be specific and brief.',
    replyInsideTag(META_TAGS.analysis),
  ]);
}

/** Inner loop, call 2: rewrite the user prompt from the analysis. */
export function userRewritePrompt(input: {
  systemPrompt: string;
  userPrompt: string;
  failures: readonly WrongExample[];
  analysis: string;
}): ChatMessage[] {
  return messages([
    `A language model uses this system prompt:\n${input.systemPrompt}`,
    `Its task prompt, where {question} stands for each question:\n${wrap(META_TAGS.currentPrompt, input.userPrompt)}`,
    `Questions it got wrong with that prompt:\n${wrap(META_TAGS.examples, formatFailures(input.failures))}`,
    `A review of those failures:\n${wrap(META_TAGS.analysis, input.analysis)}`,
    'Write an improved task prompt that acts on the review. Keep the required answer format of ' +
      'the original. The new prompt must contain the placeholder {question} exactly once, where ' +
      'the question will be inserted. Give only the prompt itself.',
    replyInsideTag(META_TAGS.userPrompt),
  ]);
}

/** Outer loop, call 1: what in the system prompt causes failures across tasks? */
export function systemAnalysisPrompt(input: {
  systemPrompt: string;
  failures: readonly WrongExample[];
}): ChatMessage[] {
  return messages([
    'A language model shares one system prompt across many different tasks. Below is that ' +
      'system prompt and a mix of questions from several tasks that it answered incorrectly.',
    `System prompt under study:\n${wrap(META_TAGS.currentPrompt, input.systemPrompt)}`,
    `Failures across tasks:\n${wrap(META_TAGS.examples, formatFailures(input.failures))}`,
    'Find the weaknesses of the system prompt that these failures have in common. Consider only ' +
      'guidance that would help on every task, not advice specific to one task.',
    replyInsideTag(META_TAGS.analysis),
  ]);
}

/** Outer loop, call 2: rewrite the system prompt from the analysis. */
export function systemRewritePrompt(input: { systemPrompt: string; analysis: string }): ChatMessage[] {
  return messages([
    `A language model shares this system prompt across many tasks:\n${wrap(META_TAGS.currentPrompt, input.systemPrompt)}`,
    `A review of its failures across those tasks:\n${wrap(META_TAGS.analysis, input.analysis)}`,
    'Write an improved system prompt that addresses the review and stays general: it must help ' +
      'on tasks of any kind, so do not mention a particular task, dataset or answer format. ' +
      'Give only the system prompt itself.',
    replyInsideTag(META_TAGS.systemPrompt),
  ]);
}

/** APE-style proposal of an instruction (user prompt or system prompt) from demonstrations. */
export function apeProposalPrompt(input: {
  demonstrations: readonly Demonstration[];
  target: 'user' | 'system';
}): ChatMessage[] {
  const what =
    input.target === 'user'
      ? 'the instruction that was given for this task. Give only the instruction; do not include any of the inputs.'
      : 'one general instruction that, given as a system prompt, would lead a model to the right outputs for all of these tasks. Give only the instruction.';
  return messages([
    'Someone gave a language model an instruction, and it turned each input below into the ' +
      'output shown.',
    `Input-output pairs:\n${wrap(META_TAGS.examples, formatDemonstrations(input.demonstrations))}`,
    `Work out ${what}`,
    replyInsideTag(input.target === 'user' ? META_TAGS.userPrompt : META_TAGS.systemPrompt),
  ]);
}

/** APE's resampling step: a variation of a good user prompt with the same meaning. */
export function apeResamplePrompt(input: { userPrompt: string }): ChatMessage[] {
  return messages([
    `Here is a task prompt, in which {question} stands for each question:\n${wrap(META_TAGS.currentPrompt, input.userPrompt)}`,
    'Write a variation of it that keeps its meaning and its answer format but uses different ' +
      'wording. It must contain the placeholder {question} exactly once.',
    replyInsideTag(META_TAGS.userPrompt),
  ]);
}
