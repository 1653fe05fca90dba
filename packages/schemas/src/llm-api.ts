import { z } from 'zod';
import { ProviderSchema } from './model-ref.js';

/** Inputs and outputs of the gateway router's procedures besides completions (completion.ts). */

export const UsageQuerySchema = z.object({ runId: z.string().optional() }).default({});

export const RunBudgetInputSchema = z.object({
  runId: z.string().min(1),
  /** Omitted or null: no USD limit. */
  maxUsd: z.number().nonnegative().nullish(),
  /** Omitted or null: no call limit. Counts provider calls; cached replays are free. */
  maxCalls: z.number().int().nonnegative().nullish(),
});

export const BudgetStatusSchema = z.object({
  runId: z.string(),
  maxUsd: z.number().nullable(),
  maxCalls: z.number().int().nullable(),
  spentUsd: z.number().nonnegative(),
  paidCalls: z.number().int().nonnegative(),
  inFlightCalls: z.number().int().nonnegative(),
  /** Paid calls of unpriced models: their cost is not in spentUsd. */
  unpricedCalls: z.number().int().nonnegative(),
  exceeded: z.boolean(),
});
export type BudgetStatus = z.infer<typeof BudgetStatusSchema>;

export const CacheStatsSchema = z.object({
  entries: z.number().int().nonnegative(),
  hits: z.number().int().nonnegative(),
  misses: z.number().int().nonnegative(),
  writes: z.number().int().nonnegative(),
  coalesced: z.number().int().nonnegative(),
});
export type CacheStats = z.infer<typeof CacheStatsSchema>;

export const CacheClearInputSchema = z.object({ model: z.string().optional() }).default({});

export const ProviderStatusSchema = z.object({
  provider: ProviderSchema,
  /** Named endpoint for openai-compatible. */
  endpoint: z.string().optional(),
  configured: z.boolean(),
  /** What is missing when not configured (an env var NAME, never a value). */
  missing: z.string().optional(),
  /** Models with a known price (built-in or config); any other model name is accepted too. */
  pricedModels: z.array(z.string()),
});
export type ProviderStatus = z.infer<typeof ProviderStatusSchema>;

export const ModelsReportSchema = z.object({ providers: z.array(ProviderStatusSchema) });
export type ModelsReport = z.infer<typeof ModelsReportSchema>;

export const GatewayHealthSchema = z.object({
  ok: z.boolean(),
  inFlightCalls: z.number().int().nonnegative(),
  queuedCalls: z.number().int().nonnegative(),
  pendingWrites: z.number().int().nonnegative(),
  answerKeyLoaded: z.boolean(),
});
export type GatewayHealth = z.infer<typeof GatewayHealthSchema>;

export const CancelRunResultSchema = z.object({ cancelledCalls: z.number().int().nonnegative() });
export type CancelRunResult = z.infer<typeof CancelRunResultSchema>;
