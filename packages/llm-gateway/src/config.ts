// The `llm` config section is read by the gateway and by the providers plugged into it, so it
// lives in the shared contract; these names stay importable from here.
export {
  DEFAULT_PULL_MAX_BYTES,
  type EndpointLimits,
  EndpointLimitsSchema,
  type GatewayConfig,
  type GatewayConfigInput,
  GatewayConfigSchema,
  type LlamaCppSettings,
  LlamaCppSettingsSchema,
  type NamedEndpoint,
  NamedEndpointSchema,
  type Price,
  PriceSchema,
  ProviderSettingsSchema,
  type RetrySettings,
  RetrySettingsSchema,
} from '@metaspo/schemas';
