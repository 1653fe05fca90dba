import type { ChatMessage, Provider, TokenUsage } from '@metaspo/schemas';

/** What a provider adapter receives: the parsed model plus everything that shapes the answer. */
export interface ProviderCallInput {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  topP?: number | undefined;
  maxTokens?: number | undefined;
  stop?: string[] | undefined;
  seed?: number | undefined;
  sampleIndex: number;
  signal: AbortSignal;
}

export interface ProviderCallOutput {
  text: string;
  usage: TokenUsage;
  finishReason: 'stop' | 'length' | 'content-filter' | 'error' | 'other';
}

/**
 * One configured model provider. `endpointId` identifies provider + base URL + key identity
 * (a hash, never the key) and is what the scheduler's limits are keyed on.
 */
export interface ModelProvider {
  readonly provider: Provider;
  readonly endpointId: string;
  complete(input: ProviderCallInput): Promise<ProviderCallOutput>;
  close?(): Promise<void>;
}
