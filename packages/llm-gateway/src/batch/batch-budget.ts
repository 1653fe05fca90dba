import type { CompletionRequest } from '@metaspo/schemas';
import { ASSUMED_COMPLETION_TOKENS, promptTokenEstimate } from '../attempt-cost.js';
import type { Price } from '../config.js';
import { costOf } from '../prices.js';
import type { Budgets } from '../store/budgets.js';

/**
 * A line's estimated cost at the batch price: its prompt estimate and `maxTokens` of output, as
 * an unanswered live attempt is estimated. 0 when the model has no known price (`maxUsd` cannot
 * be enforced on it either way).
 */
export function lineEstimateUsd(batchPrice: Price | null, request: CompletionRequest): number {
  const usd = costOf(batchPrice, {
    promptTokens: promptTokenEstimate(request),
    completionTokens: request.maxTokens ?? ASSUMED_COMPLETION_TOKENS,
  });
  return usd ?? 0;
}

/**
 * The budget side of batch lines: each line reserves one call and its estimated cost at
 * submission (its answer may come hours later, too late to stop a run at) and releases the
 * estimate when it is answered, fails or goes live.
 */
export class BatchReservations {
  private readonly held = new Map<string, { runId: string; usd: number }>();

  constructor(private readonly budgets: Budgets) {}

  /** Throws a budget-exceeded LlmCallError when the line does not fit the run's budget. */
  reserve(key: string, runId: string, estimateUsd: number): void {
    this.budgets.reserve(runId, estimateUsd);
    this.held.set(key, { runId, usd: estimateUsd });
  }

  /**
   * A line of a job a previous process submitted: reserved again in this process's budgets, or
   * not at all when they are spent (it is running at the provider whatever they say).
   */
  adopt(key: string, runId: string, estimateUsd: number): void {
    if (this.held.has(key)) return;
    try {
      this.reserve(key, runId, estimateUsd);
    } catch {}
  }

  settle(key: string, outcome: { paid: true; costUsd: number | null } | { paid: false }): void {
    const held = this.held.get(key);
    if (!held) return;
    this.held.delete(key);
    this.budgets.settle(held.runId, outcome, held.usd);
  }
}
