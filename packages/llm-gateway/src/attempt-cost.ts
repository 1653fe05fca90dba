import type { CompletionRequest } from '@metaspo/schemas';
import type { Price } from './config.js';
import { costOf } from './prices.js';

/**
 * Completion tokens assumed for an unanswered attempt of a call without `maxTokens`: a billed
 * attempt of unknown length is estimated as a long answer rather than as free.
 */
export const ASSUMED_COMPLETION_TOKENS = 1_024;

export function promptTokenEstimate(request: CompletionRequest): number {
  let chars = 0;
  for (const message of request.messages) chars += message.content.length;
  return Math.ceil(chars / 4);
}

export function estimatedTokens(request: CompletionRequest): number {
  return promptTokenEstimate(request) + (request.maxTokens ?? 256);
}

/** Attempts of one call sent to the provider, and those that got an answer (or an HTTP error). */
export interface AttemptCount {
  sent: number;
  answered: number;
}

export interface UnansweredCharge {
  /** Unanswered attempts that may have been billed: none on a free (local) model. */
  attempts: number;
  /** Their estimated cost: the prompt estimate and `maxTokens` of output each; null: unpriced. */
  costUsd: number | null;
}

export const NO_CHARGE: UnansweredCharge = { attempts: 0, costUsd: 0 };

export function unansweredCharge(
  price: Price | null,
  request: CompletionRequest,
  attempts: AttemptCount,
): UnansweredCharge {
  const unanswered = attempts.sent - attempts.answered;
  if (unanswered === 0 || (price !== null && price.input === 0 && price.output === 0)) return NO_CHARGE;
  const each = costOf(price, {
    promptTokens: promptTokenEstimate(request),
    completionTokens: request.maxTokens ?? ASSUMED_COMPLETION_TOKENS,
  });
  return { attempts: unanswered, costUsd: each === null ? null : each * unanswered };
}
