import http from 'node:http';

/**
 * A `fetch` for plain-http endpoints (local inference servers: vLLM, Ollama, llama.cpp server,
 * the simulator) over node:http with a keep-alive agent sized for the gateway's concurrency.
 * undici's fetch costs about twice the CPU per request through web streams; https endpoints
 * keep the platform fetch. Bodies are buffered: the gateway never streams.
 */
export function createPlainHttpFetch(maxSockets: number): { fetch: typeof fetch; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const plainFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    const url = new URL(input instanceof Request ? input.url : input);
    if (url.protocol !== 'http:' || input instanceof Request) return fetch(input, init);
    const signal = init?.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) {
        reject(signal.reason);
        return;
      }
      const headers = Object.fromEntries(new Headers(init?.headers).entries());
      const request = http.request(url, { method: init?.method ?? 'GET', headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const responseHeaders = new Headers();
          for (const [name, value] of Object.entries(response.headers)) {
            if (value !== undefined)
              responseHeaders.set(name, Array.isArray(value) ? value.join(', ') : value);
          }
          const status = response.statusCode ?? 500;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          resolve(
            new Response(body, {
              status,
              statusText: response.statusMessage ?? '',
              headers: responseHeaders,
            }),
          );
        });
      });
      const onAbort = () =>
        request.destroy(signal?.reason instanceof Error ? signal.reason : new Error('aborted'));
      signal?.addEventListener('abort', onAbort, { once: true });
      request.on('close', () => signal?.removeEventListener('abort', onAbort));
      request.on('error', reject);
      if (typeof init?.body === 'string') request.end(init.body);
      else if (init?.body instanceof Uint8Array) request.end(init.body);
      else if (init?.body === undefined || init.body === null) request.end();
      else {
        request.destroy();
        reject(new TypeError('plain-http fetch sends string or byte bodies only'));
      }
    });
  };
  return { fetch: plainFetch as typeof fetch, close: () => agent.destroy() };
}
