import { kindOfStatus, LlmCallError } from '../errors.js';

export type HttpFetch = typeof globalThis.fetch;

/** Where a batch API is and who is calling it. Holds the key: never log or store it. */
export interface BatchEndpoint {
  provider: string;
  baseUrl: string;
  headers: Record<string, string>;
  fetch: HttpFetch;
  /** One exchange, answer body included, is given up (and retried) after this long. */
  timeoutMs: number;
}

/** Tries of one batch API exchange before a retryable failure is thrown. */
export const BATCH_HTTP_ATTEMPTS = 4;

/** The back-off after the n-th failed try: 0.5 s, 1 s, 2 s... */
export const pauseBeforeRetry = (attempt: number) =>
  new Promise((resolve) => setTimeout(resolve, 250 * 2 ** attempt));

/**
 * One HTTP exchange with a batch API. Its own small retry loop: these are a handful of calls
 * per batch (upload, create, polls, downloads), not the scheduler's per-line traffic.
 */
export async function batchHttp(
  endpoint: BatchEndpoint,
  path: string,
  init: {
    method?: string;
    body?: string;
    headers?: Record<string, string>;
    signal?: AbortSignal;
    /** Tries before a retryable failure is thrown (default BATCH_HTTP_ATTEMPTS); 1 for a request not safe to repeat. */
    attempts?: number;
  } = {},
): Promise<string> {
  const url = `${endpoint.baseUrl.replace(/\/+$/, '')}${path}`;
  for (let attempt = 1; ; attempt += 1) {
    let error: LlmCallError;
    try {
      const response = await endpoint.fetch(url, {
        method: init.method ?? 'GET',
        headers: { ...endpoint.headers, ...init.headers },
        ...(init.body === undefined ? {} : { body: init.body }),
        signal: init.signal
          ? AbortSignal.any([init.signal, AbortSignal.timeout(endpoint.timeoutMs)])
          : AbortSignal.timeout(endpoint.timeoutMs),
      });
      const text = await response.text();
      if (response.ok) return text;
      const { kind, retryable } = kindOfStatus(response.status);
      error = new LlmCallError({
        kind,
        retryable,
        status: response.status,
        provider: endpoint.provider,
        message: `${endpoint.provider} batch API ${init.method ?? 'GET'} ${path}: HTTP ${response.status}: ${text.slice(0, 300)}`,
      });
    } catch (thrown) {
      if (init.signal?.aborted) throw thrown;
      error = new LlmCallError({
        kind: 'network',
        retryable: true,
        provider: endpoint.provider,
        message: `${endpoint.provider} batch API ${path}: ${(thrown as Error).message}`,
      });
    }
    if (!error.retryable || attempt >= (init.attempts ?? BATCH_HTTP_ATTEMPTS)) throw error;
    await pauseBeforeRetry(attempt);
  }
}

export function parseJsonl(text: string): unknown[] {
  const values: unknown[] = [];
  for (const line of text.split('\n')) {
    const trimmed = line.trim();
    if (trimmed !== '') values.push(JSON.parse(trimmed));
  }
  return values;
}
