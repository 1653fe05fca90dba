import { z } from 'zod';
import { CompletionRequestSchema } from './completion.js';
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
  /** Estimated cost of batch lines submitted and not answered yet, counted against maxUsd. */
  reservedUsd: z.number().nonnegative(),
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

/** Requests a plan would send: checked against the cache, nothing is called. */
export const CacheCheckInputSchema = z.object({ requests: z.array(CompletionRequestSchema).max(10_000) });
export type CacheCheckInput = z.input<typeof CacheCheckInputSchema>;

export const CacheCheckResultSchema = z.object({
  /** Per request (same order): whether the cache holds its answer (a replay costs nothing). */
  cached: z.array(z.boolean()),
  /** Per request: the gateway's prompt-token estimate (what unanswered attempts are billed at). */
  promptTokens: z.array(z.number().int().nonnegative()),
});
export type CacheCheckResult = z.infer<typeof CacheCheckResultSchema>;

export const PricesInputSchema = z.object({ models: z.array(z.string().min(1)).max(100) });
const PerMillionTokensSchema = z.object({
  input: z.number().nonnegative(),
  output: z.number().nonnegative(),
});
export const ModelPriceSchema = z.object({
  model: z.string(),
  /** USD per million input / output tokens; null: the gateway knows no price for the model. */
  price: PerMillionTokensSchema.nullable(),
  /**
   * The same for a line sent through the provider's batch API (50% of `price` at OpenAI and
   * Anthropic, `price` elsewhere); null with `price`.
   */
  batchPrice: PerMillionTokensSchema.nullable(),
  /**
   * Whether the gateway sends this model's `execution: batch` requests through a batch API
   * (OpenAI, Anthropic, an OpenAI-compatible endpoint, with its key or base URL set); false:
   * it sends them live, at `price`.
   */
  batchApi: z.boolean(),
});
export type ModelPrice = z.infer<typeof ModelPriceSchema>;
export const PricesResultSchema = z.object({ prices: z.array(ModelPriceSchema) });
export type PricesResult = z.infer<typeof PricesResultSchema>;

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

export const ModelCheckInputSchema = z.object({
  refs: z.array(z.string()).min(1, 'name at least one model reference').max(100),
});
export type ModelCheckInput = z.infer<typeof ModelCheckInputSchema>;

/**
 * Whether a model reference can be called as configured now, found without calling it or
 * building anything (`llm.models.check`). It never carries a key or a base URL.
 */
export const ModelCheckSchema = z.object({
  ref: z.string(),
  usable: z.boolean(),
  /** Absent when the reference does not parse. */
  provider: ProviderSchema.optional(),
  /** Why it cannot be used, with what to change. */
  problem: z.string().optional(),
  /** The environment variable to set (a NAME, never a value), when that is what is missing. */
  envVar: z.string().optional(),
  /** Whether the gateway knows a price for it (local providers are free, so priced at 0). */
  priced: z.boolean(),
});
export type ModelCheck = z.infer<typeof ModelCheckSchema>;

export const ModelCheckResultSchema = z.object({ models: z.array(ModelCheckSchema) });
export type ModelCheckResult = z.infer<typeof ModelCheckResultSchema>;
