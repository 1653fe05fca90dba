// The `llm` config section is read by the gateway and by the providers plugged into it, so it
// lives in the shared contract; these names stay importable from here.
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
} from '@metaspo/schemas';
