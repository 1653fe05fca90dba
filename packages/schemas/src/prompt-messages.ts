import type { ChatMessage } from './chat-message.js';
import type { SystemPlacement } from './evaluation.js';

const PLACEHOLDER = '{question}';

export interface PromptPairPlacement {
  systemPrompt: string;
  userPrompt: string;
  systemPlacement: SystemPlacement;
}

/**
 * The user message for one question: the question replaces `{question}` (split rather than
 * `String.replace`, whose `$&`-style patterns would mangle questions containing "$"), and with
 * `user-prefix` placement a non-empty system prompt goes before it.
 */
export function userMessage(pair: PromptPairPlacement, question: string): string {
  const at = pair.userPrompt.indexOf(PLACEHOLDER);
  const filled = pair.userPrompt.slice(0, at) + question + pair.userPrompt.slice(at + PLACEHOLDER.length);
  return pair.systemPlacement === 'user-prefix' && pair.systemPrompt !== ''
    ? `${pair.systemPrompt}\n\n${filled}`
    : filled;
}

/**
 * The chat messages the gateway is sent for one question (the evaluator sends them, the
 * optimizer's plan asks whether they are cached). An empty system prompt sends no system
 * message, as models behave differently with an empty one.
 */
export function chatMessages(pair: PromptPairPlacement, question: string): ChatMessage[] {
  const user: ChatMessage = { role: 'user', content: userMessage(pair, question) };
  return pair.systemPlacement === 'system' && pair.systemPrompt !== ''
    ? [{ role: 'system', content: pair.systemPrompt }, user]
    : [user];
}
