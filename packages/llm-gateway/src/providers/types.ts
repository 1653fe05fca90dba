// The contract lives in @metaspo/schemas, where providers outside the gateway implement it.
export type { ModelProvider, ProviderCallInput, ProviderCallOutput } from '@metaspo/schemas';
