import fs from 'node:fs';
import path from 'node:path';
import type { ProviderCheck, ProviderStatus } from '@metaspo/schemas';
import type { GatewayConfig } from '../config.js';
import { DEFAULT_OLLAMA_BASE_URL } from './registry.js';

export const PROBE_TIMEOUT_MS = 2_000;

export interface ProviderCheckDeps {
  config: GatewayConfig;
  env: NodeJS.ProcessEnv;
  fetchImpl?: typeof globalThis.fetch;
  timeoutMs?: number;
}

/** The scheme, host and port of a base URL: what a check may name (no path, no user:password@). */
function originOf(baseURL: string): string {
  try {
    return new URL(baseURL).origin;
  } catch {
    return 'an invalid base URL';
  }
}

/** The error code of a failed fetch (ECONNREFUSED, ENOTFOUND...), never its message. */
function failureCode(error: unknown): string {
  if (error instanceof Error && error.name === 'TimeoutError') return 'no answer within the timeout';
  const cause = error instanceof Error ? error.cause : undefined;
  const code = cause instanceof Error && 'code' in cause ? cause.code : undefined;
  return typeof code === 'string' ? code : 'the connection failed';
}

/**
 * A local server's reachability: `GET <baseURL>/models`, the OpenAI-style listing Ollama,
 * llama.cpp's server, vLLM and LM Studio answer. The key (if any) goes in the header only.
 */
async function probe(
  status: ProviderStatus,
  baseURL: string,
  apiKey: string | undefined,
  deps: ProviderCheckDeps,
): Promise<ProviderCheck> {
  const fetchImpl = deps.fetchImpl ?? globalThis.fetch;
  const timeoutMs = deps.timeoutMs ?? PROBE_TIMEOUT_MS;
  const origin = originOf(baseURL);
  const base = { provider: status.provider, ...(status.endpoint ? { endpoint: status.endpoint } : {}) };
  const started = performance.now();
  try {
    const response = await fetchImpl(`${baseURL.replace(/\/+$/, '')}/models`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    const latencyMs = Math.round(performance.now() - started);
    await response.body?.cancel();
    if (response.ok) return { ...base, state: 'ready', detail: `${origin} answered`, latencyMs };
    return { ...base, state: 'error', detail: `${origin} answered HTTP ${response.status}`, latencyMs };
  } catch (error) {
    return {
      ...base,
      state: 'unreachable',
      detail: `nothing answered at ${origin} (${failureCode(error)}): is the server running?`,
      latencyMs: null,
    };
  }
}

/** llama.cpp loads files in this process: ready when at least one configured model file exists. */
function llamaCppFiles(status: ProviderStatus, config: GatewayConfig): ProviderCheck {
  const { models, modelsDir } = config.llamacpp;
  const named = Object.entries(models).filter(([, file]) => fs.existsSync(path.resolve(file)));
  const inDir =
    modelsDir !== undefined && fs.existsSync(modelsDir)
      ? fs.readdirSync(modelsDir).filter((name) => name.toLowerCase().endsWith('.gguf'))
      : [];
  const found = named.length + inDir.length;
  const base = { provider: status.provider, latencyMs: null };
  if (found > 0) return { ...base, state: 'ready', detail: `${found} model file(s) found` };
  return {
    ...base,
    state: 'error',
    detail: 'no model file found at llm.llamacpp.models paths or under llm.llamacpp.modelsDir',
  };
}

/** Checks every provider the gateway lists, local servers in parallel. */
export function checkProviders(
  statuses: ProviderStatus[],
  deps: ProviderCheckDeps,
): Promise<ProviderCheck[]> {
  const { config, env } = deps;
  return Promise.all(
    statuses.map(async (status): Promise<ProviderCheck> => {
      const base = { provider: status.provider, ...(status.endpoint ? { endpoint: status.endpoint } : {}) };
      if (!status.configured) {
        return {
          ...base,
          state: 'not-configured',
          detail: status.missing ?? 'not configured',
          latencyMs: null,
        };
      }
      switch (status.provider) {
        case 'sim':
          return { ...base, state: 'ready', detail: 'the simulator runs in this process', latencyMs: null };
        case 'llamacpp':
          return llamaCppFiles(status, config);
        case 'ollama':
          return probe(
            status,
            config.providers.ollama?.baseUrl ?? env.OLLAMA_BASE_URL ?? DEFAULT_OLLAMA_BASE_URL,
            undefined,
            deps,
          );
        case 'openai-compatible': {
          const endpoint = config.endpoints[status.endpoint ?? 'default'];
          if (!endpoint)
            return { ...base, state: 'error', detail: 'no such endpoint in the config', latencyMs: null };
          return probe(
            status,
            endpoint.baseUrl,
            endpoint.apiKeyEnv ? env[endpoint.apiKeyEnv] : undefined,
            deps,
          );
        }
        default:
          return {
            ...base,
            state: 'key-set',
            detail: 'API key set; the provider is first called when a run uses it',
            latencyMs: null,
          };
      }
    }),
  );
}
