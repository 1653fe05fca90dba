export { ASSUMED_COMPLETION_TOKENS } from './attempt-cost.js';
export { cacheKeyOf } from './call-pipeline.js';
export {
  DEFAULT_PULL_MAX_BYTES,
  type EndpointLimits,
  type GatewayConfig,
  type GatewayConfigInput,
  GatewayConfigSchema,
  type LlamaCppSettings,
  type NamedEndpoint,
  type Price,
  type RetrySettings,
} from './config.js';
export { classifyProviderError, LlmCallError, parseRetryAfter } from './errors.js';
export { BUILT_IN_PRICES, costOf, createPriceTable, type PriceTable } from './prices.js';
export type { ModelProvider, ProviderCallInput, ProviderCallOutput } from './providers/types.js';
export { createLlmRouter, type LlmRouter } from './router.js';
export {
  type CallOptions,
  createLlmGatewayService,
  type LlmGatewayService,
  type LlmGatewayServiceOptions,
} from './service.js';
