import type { ParsedModelRef, Provider, TokenUsage } from '@metaspo/schemas';
import type { Price } from './config.js';

/**
 * List prices in USD per million tokens (input / output) of common hosted models, matched by
 * the longest name prefix so dated versions (`gpt-4o-mini-2024-07-18`) find their family.
 * Config `prices` override these. Local providers cost nothing; anything else is unpriced.
 */
export const BUILT_IN_PRICES: Readonly<Partial<Record<Provider, Readonly<Record<string, Price>>>>> = {
  openai: {
    'gpt-3.5-turbo': { input: 0.5, output: 1.5 },
    'gpt-4-turbo': { input: 10, output: 30 },
    'gpt-4o': { input: 2.5, output: 10 },
    'gpt-4o-mini': { input: 0.15, output: 0.6 },
    'gpt-4.1': { input: 2, output: 8 },
    'gpt-4.1-mini': { input: 0.4, output: 1.6 },
    'gpt-4.1-nano': { input: 0.1, output: 0.4 },
    'gpt-5': { input: 1.25, output: 10 },
    'gpt-5-mini': { input: 0.25, output: 2 },
    'gpt-5-nano': { input: 0.05, output: 0.4 },
    o1: { input: 15, output: 60 },
    o3: { input: 2, output: 8 },
    'o3-mini': { input: 1.1, output: 4.4 },
    'o4-mini': { input: 1.1, output: 4.4 },
  },
  anthropic: {
    'claude-3-haiku': { input: 0.25, output: 1.25 },
    'claude-3-opus': { input: 15, output: 75 },
    'claude-3-5-haiku': { input: 0.8, output: 4 },
    'claude-3-5-sonnet': { input: 3, output: 15 },
    'claude-3-7-sonnet': { input: 3, output: 15 },
    'claude-haiku-4-5': { input: 1, output: 5 },
    'claude-sonnet-4': { input: 3, output: 15 },
    'claude-sonnet-4-5': { input: 3, output: 15 },
    'claude-opus-4': { input: 15, output: 75 },
    'claude-opus-4-1': { input: 15, output: 75 },
  },
  google: {
    'gemini-1.5-flash': { input: 0.075, output: 0.3 },
    'gemini-1.5-pro': { input: 1.25, output: 5 },
    'gemini-2.0-flash': { input: 0.1, output: 0.4 },
    'gemini-2.0-flash-lite': { input: 0.075, output: 0.3 },
    'gemini-2.5-flash': { input: 0.3, output: 2.5 },
    'gemini-2.5-flash-lite': { input: 0.1, output: 0.4 },
    'gemini-2.5-pro': { input: 1.25, output: 10 },
  },
};

/**
 * Share of the live price a batch line costs, by provider: OpenAI's Batch API and Anthropic's
 * Message Batches both bill 50% of the live input and output prices. Other providers (an
 * OpenAI-compatible server with a batch runner) bill their live price.
 */
const BATCH_PRICE_FACTOR: Readonly<Partial<Record<Provider, number>>> = {
  openai: 0.5,
  anthropic: 0.5,
};

const LOCAL_PROVIDERS: ReadonlySet<Provider> = new Set(['sim', 'llamacpp', 'ollama']);
const FREE: Price = { input: 0, output: 0 };

function longestPrefixMatch(table: Readonly<Record<string, Price>>, model: string): Price | undefined {
  let best: string | undefined;
  for (const name of Object.keys(table)) {
    const matches = model === name || model.startsWith(`${name}-`);
    if (matches && (best === undefined || name.length > best.length)) best = name;
  }
  return best === undefined ? undefined : table[best];
}

export interface PriceTable {
  /** null when the model has no known price. */
  priceOf(ref: ParsedModelRef, fullRef: string): Price | null;
  /** The price of a line sent through the provider's batch API (null: unknown price). */
  batchPriceOf(ref: ParsedModelRef, fullRef: string): Price | null;
}

export function createPriceTable(overrides: Readonly<Record<string, Price>>): PriceTable {
  const memo = new Map<string, Price | null>();
  const priceOf = (ref: ParsedModelRef, fullRef: string): Price | null => {
    const known = memo.get(fullRef);
    if (known !== undefined) return known;
    const price =
      overrides[fullRef] ??
      overrides[`${ref.provider}:${ref.model}`] ??
      overrides[ref.model] ??
      (LOCAL_PROVIDERS.has(ref.provider) ? FREE : undefined) ??
      longestPrefixMatch(BUILT_IN_PRICES[ref.provider] ?? {}, ref.model) ??
      null;
    memo.set(fullRef, price);
    return price;
  };
  return {
    priceOf,
    batchPriceOf(ref, fullRef) {
      const live = priceOf(ref, fullRef);
      const factor = BATCH_PRICE_FACTOR[ref.provider] ?? 1;
      return live && { input: live.input * factor, output: live.output * factor };
    },
  };
}

export function costOf(price: Price | null, usage: TokenUsage): number | null {
  if (!price) return null;
  return (usage.promptTokens * price.input + usage.completionTokens * price.output) / 1_000_000;
}
