import http from 'node:http';
import { abortReason, onAbort } from '@metaspo/service-kit';
import { BufferedResponse } from './buffered-response.js';

/** The scheduler bounds concurrency per endpoint; this only caps sockets per local server. */
export const PLAIN_HTTP_MAX_SOCKETS = 256;

/** Request targets parsed once per URL string: a gateway calls a handful of them. */
const MAX_PARSED_TARGETS = 64;

interface Target {
  href: string;
  hostname: string;
  port: string;
  path: string;
  auth: string | undefined;
}

/**
 * A `fetch` for plain-http endpoints (local inference servers: vLLM, Ollama, llama.cpp server,
 * the simulator) over node:http with a keep-alive agent sized for the gateway's concurrency.
 * undici's fetch costs about twice the CPU per request through web streams; https endpoints
 * keep the platform fetch. Bodies are buffered: the gateway never streams, so a response is a
 * BufferedResponse, not a web-stream Response. Each URL string is parsed once and handed to
 * node:http as host, port and path, which skips its URL-to-options conversion per request.
 */
export function createPlainHttpFetch(maxSockets: number): { fetch: typeof fetch; close(): void } {
  const agent = new http.Agent({ keepAlive: true, maxSockets });
  const targets = new Map<string, Target | null>();
  /** The parsed target of a plain-http URL string, null for anything else. */
  const targetOf = (input: string): Target | null => {
    let target = targets.get(input);
    if (target !== undefined) return target;
    const url = new URL(input);
    // What node:http's own URL conversion gives: IPv6 hosts unbracketed, credentials decoded.
    target =
      url.protocol === 'http:'
        ? {
            href: url.href,
            hostname: url.hostname.startsWith('[') ? url.hostname.slice(1, -1) : url.hostname,
            port: url.port,
            path: `${url.pathname}${url.search}`,
            auth:
              url.username || url.password
                ? `${decodeURIComponent(url.username)}:${decodeURIComponent(url.password)}`
                : undefined,
          }
        : null;
    if (targets.size >= MAX_PARSED_TARGETS) targets.clear();
    targets.set(input, target);
    return target;
  };
  const plainFetch = (input: string | URL | Request, init?: RequestInit): Promise<Response> => {
    if (input instanceof Request) return fetch(input, init);
    const target = targetOf(typeof input === 'string' ? input : input.href);
    if (target === null) return fetch(input, init);
    const signal = init?.signal ?? undefined;
    return new Promise<Response>((resolve, reject) => {
      if (signal?.aborted) {
        reject(abortReason(signal));
        return;
      }
      // The AI SDK passes a plain object of lower-case names; other shapes go through Headers.
      const given = init?.headers;
      const headers =
        given === undefined || given instanceof Headers || Array.isArray(given)
          ? Object.fromEntries(new Headers(given).entries())
          : (given as http.OutgoingHttpHeaders);
      const options: http.RequestOptions = {
        hostname: target.hostname,
        port: target.port,
        path: target.path,
        ...(target.auth === undefined ? {} : { auth: target.auth }),
        method: init?.method ?? 'GET',
        headers,
        agent,
      };
      const request = http.request(options, (response) => {
        // One chunk is the common case for a completion: no concatenation then.
        let first: Buffer | undefined;
        const more: Buffer[] = [];
        response.on('data', (chunk: Buffer) => {
          if (first === undefined) first = chunk;
          else more.push(chunk);
        });
        response.on('error', reject);
        response.on('end', () => {
          const status = response.statusCode ?? 500;
          const bytes =
            more.length > 0 && first ? Buffer.concat([first, ...more]) : (first ?? Buffer.alloc(0));
          const body = status === 204 || status === 304 ? null : bytes;
          const statusText = response.statusMessage ?? '';
          // The read side of Response is all a caller of this fetch uses (see BufferedResponse).
          resolve(
            new BufferedResponse(
              target.href,
              status,
              statusText,
              response.headers,
              body,
            ) as unknown as Response,
          );
        });
      });
      if (signal) {
        const removeListener = onAbort(signal, () => request.destroy(abortReason(signal)));
        request.once('close', removeListener);
      }
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
