import http from 'node:http';
import { BufferedResponse } from './buffered-response.js';

/** The scheduler bounds concurrency per endpoint; this only caps sockets per local server. */
export const PLAIN_HTTP_MAX_SOCKETS = 256;

/**
 * A `fetch` for plain-http endpoints (local inference servers: vLLM, Ollama, llama.cpp server,
 * the simulator) over node:http with a keep-alive agent sized for the gateway's concurrency.
 * undici's fetch costs about twice the CPU per request through web streams; https endpoints
 * keep the platform fetch. Bodies are buffered: the gateway never streams, so a response is a
 * BufferedResponse, not a web-stream Response.
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
      // The AI SDK passes a plain object of lower-case names; other shapes go through Headers.
      const given = init?.headers;
      const headers =
        given === undefined || given instanceof Headers || Array.isArray(given)
          ? Object.fromEntries(new Headers(given).entries())
          : (given as http.OutgoingHttpHeaders);
      const request = http.request(url, { method: init?.method ?? 'GET', headers, agent }, (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 500;
          const body = status === 204 || status === 304 ? null : Buffer.concat(chunks);
          const statusText = response.statusMessage ?? '';
          // The read side of Response is all a caller of this fetch uses (see BufferedResponse).
          resolve(
            new BufferedResponse(url.href, status, statusText, response.headers, body) as unknown as Response,
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
