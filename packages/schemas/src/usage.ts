import { z } from 'zod';

export const TokenUsageSchema = z.object({
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
});
export type TokenUsage = z.infer<typeof TokenUsageSchema>;

export const ZERO_USAGE: TokenUsage = { promptTokens: 0, completionTokens: 0 };

export function addUsage(a: TokenUsage, b: TokenUsage): TokenUsage {
  return {
    promptTokens: a.promptTokens + b.promptTokens,
    completionTokens: a.completionTokens + b.completionTokens,
  };
}

/**
 * Totals of ledger rows; `costUsd` is null when any paid call had an unknown price. A *call* is
 * one answer (or failure) the gateway gave to one request, whatever number of provider
 * attempts it took (docs/numbers.md); `calls` counts every one, cached, failed and cancelled
 * included.
 */
export const UsageTotalsSchema = z.object({
  calls: z.number().int().nonnegative(),
  cachedCalls: z.number().int().nonnegative(),
  paidCalls: z.number().int().nonnegative(),
  /** Calls that ended in an error other than a cancellation. */
  failedCalls: z.number().int().nonnegative(),
  /**
   * Calls cancelled (by their run's cancel, their caller's abort or the gateway's close),
   * counted apart from failed ones. Absent from gateways older than the field.
   */
  cancelledCalls: z.number().int().nonnegative().optional(),
  promptTokens: z.number().int().nonnegative(),
  completionTokens: z.number().int().nonnegative(),
  costUsd: z.number().nonnegative().nullable(),
  unpricedCalls: z.number().int().nonnegative(),
  /**
   * What batch execution saved: the live price of the lines answered through a provider's batch
   * API minus what they cost. Absent from gateways older than the field.
   */
  savedUsd: z.number().nonnegative().optional(),
});
export type UsageTotals = z.infer<typeof UsageTotalsSchema>;
