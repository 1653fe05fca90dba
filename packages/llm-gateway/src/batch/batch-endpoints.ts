import type { ParsedModelRef, ProviderContext } from '@metaspo/schemas';
import { createAnthropicBatchClient } from './anthropic-batch-client.js';
import type { BatchClient } from './batch-client.js';
import type { HttpFetch } from './batch-http.js';
import { createOpenAiBatchClient } from './openai-batch-client.js';

const OPENAI_BASE_URL = 'https://api.openai.com/v1';
const ANTHROPIC_BASE_URL = 'https://api.anthropic.com/v1';
const ANTHROPIC_VERSION = '2023-06-01';

/**
 * The batch API of a model's endpoint, from the same config and environment the live provider
 * is planned from: OpenAI, Anthropic, and OpenAI-compatible servers (which may not serve
 * `/v1/batches`: a refused submission sends its lines live). Other providers have none.
 */
export function batchClientOf(
  ref: ParsedModelRef,
  context: ProviderContext,
  fetch: HttpFetch,
): BatchClient | undefined {
  const { config, env } = context;
  const timeoutMs = config.batch.httpTimeoutMs;
  if (ref.provider === 'openai') {
    const key = env.OPENAI_API_KEY;
    if (!key) return undefined;
    const baseUrl = config.providers.openai?.baseUrl ?? env.OPENAI_BASE_URL ?? OPENAI_BASE_URL;
    return createOpenAiBatchClient({
      provider: 'openai',
      baseUrl,
      headers: { authorization: `Bearer ${key}` },
      fetch,
      timeoutMs,
    });
  }
  if (ref.provider === 'anthropic') {
    const key = env.ANTHROPIC_API_KEY;
    if (!key) return undefined;
    const baseUrl = config.providers.anthropic?.baseUrl ?? env.ANTHROPIC_BASE_URL ?? ANTHROPIC_BASE_URL;
    const headers = { 'x-api-key': key, 'anthropic-version': ANTHROPIC_VERSION };
    return createAnthropicBatchClient({ provider: 'anthropic', baseUrl, headers, fetch, timeoutMs });
  }
  if (ref.provider === 'openai-compatible') {
    const named = config.endpoints[ref.endpoint ?? 'default'];
    const baseUrl =
      named?.baseUrl ?? (ref.endpoint === undefined ? env.OPENAI_COMPATIBLE_BASE_URL : undefined);
    if (!baseUrl) return undefined;
    const keyVar = named ? named.apiKeyEnv : 'OPENAI_COMPATIBLE_API_KEY';
    const key = keyVar ? env[keyVar] : undefined;
    const headers: Record<string, string> = key ? { authorization: `Bearer ${key}` } : {};
    return createOpenAiBatchClient({ provider: 'openai-compatible', baseUrl, headers, fetch, timeoutMs });
  }
  return undefined;
}
