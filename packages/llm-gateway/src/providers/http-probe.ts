import type { ProviderCheckResult } from '@metaspo/schemas';

const PROBE_TIMEOUT_MS = 2_000;

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
export async function probeModelsEndpoint(
  baseURL: string,
  apiKey: string | undefined,
  timeoutMs: number = PROBE_TIMEOUT_MS,
): Promise<ProviderCheckResult> {
  const origin = originOf(baseURL);
  const started = performance.now();
  try {
    const response = await fetch(`${baseURL.replace(/\/+$/, '')}/models`, {
      headers: apiKey ? { authorization: `Bearer ${apiKey}` } : {},
      signal: AbortSignal.timeout(timeoutMs),
    });
    const latencyMs = Math.round(performance.now() - started);
    await response.body?.cancel();
    if (response.ok) return { state: 'ready', detail: `${origin} answered`, latencyMs };
    return { state: 'error', detail: `${origin} answered HTTP ${response.status}`, latencyMs };
  } catch (error) {
    return {
      state: 'unreachable',
      detail: `nothing answered at ${origin} (${failureCode(error)}): is the server running?`,
      latencyMs: null,
    };
  }
}
