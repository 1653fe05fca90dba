import { createAnthropic } from '@ai-sdk/anthropic';
import { createGoogleGenerativeAI } from '@ai-sdk/google';
import { createOpenAI } from '@ai-sdk/openai';
import { createOpenAICompatible } from '@ai-sdk/openai-compatible';
import type { ModelProvider } from '@metaspo/schemas';
import { createAiSdkProvider } from './ai-sdk.js';

/**
 * Everything needed to build the provider of one HTTP endpoint, resolved by the registry from
 * config and environment. It holds the key: never log or store it.
 */
export type HttpEndpointSpec = { endpointId: string } & (
  | { provider: 'openai' | 'anthropic' | 'google'; apiKey: string; baseURL?: string | undefined }
  | { provider: 'openai-compatible'; name: string; baseURL: string; apiKey?: string | undefined }
  | { provider: 'ollama'; baseURL: string }
);

/** The AI SDK provider package for an endpoint, sending its requests through `fetch`. */
export function buildHttpProvider(spec: HttpEndpointSpec, fetch: typeof globalThis.fetch): ModelProvider {
  const { endpointId } = spec;
  switch (spec.provider) {
    case 'openai': {
      const sdk = createOpenAI({ apiKey: spec.apiKey, fetch, ...baseUrlOf(spec) });
      return createAiSdkProvider({ provider: 'openai', endpointId, languageModel: (m) => sdk.chat(m) });
    }
    case 'anthropic': {
      const sdk = createAnthropic({ apiKey: spec.apiKey, fetch, ...baseUrlOf(spec) });
      return createAiSdkProvider({ provider: 'anthropic', endpointId, languageModel: (m) => sdk(m) });
    }
    case 'google': {
      const sdk = createGoogleGenerativeAI({ apiKey: spec.apiKey, fetch, ...baseUrlOf(spec) });
      return createAiSdkProvider({ provider: 'google', endpointId, languageModel: (m) => sdk(m) });
    }
    case 'openai-compatible': {
      const sdk = createOpenAICompatible({
        name: spec.name,
        baseURL: spec.baseURL,
        ...(spec.apiKey ? { apiKey: spec.apiKey } : {}),
        fetch,
      });
      return createAiSdkProvider({ provider: 'openai-compatible', endpointId, languageModel: sdk.chatModel });
    }
    case 'ollama': {
      const sdk = createOpenAICompatible({ name: 'ollama', baseURL: spec.baseURL, fetch });
      return createAiSdkProvider({ provider: 'ollama', endpointId, languageModel: sdk.chatModel });
    }
  }
}

function baseUrlOf(spec: { baseURL?: string | undefined }): { baseURL?: string } {
  return spec.baseURL ? { baseURL: spec.baseURL } : {};
}
