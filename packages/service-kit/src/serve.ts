import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyRouter } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { getHTTPStatusCodeFromError } from '@trpc/server/http';
import {
  checkTokenStrength,
  compileHostAllowList,
  createTokenGuard,
  isJsonContentType,
  isSameOriginOrAbsent,
} from './http-guards.js';
import { answerClientError, sendJson, sendTrpcError } from './http-responses.js';
import { handleSession } from './http-session.js';
import { createLogger, type Logger } from './logger.js';
import { createServiceContext, errorIdOf, listProcedures } from './trpc.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_BODY_LIMIT_BYTES = 32 * 1024 * 1024;
/** Procedure calls in one HTTP batch; the service clients batch at most 50 as well. */
export const DEFAULT_MAX_BATCH_SIZE = 50;
/** Open subscription streams (SSE) per client address. */
export const DEFAULT_MAX_STREAMS_PER_CLIENT = 32;

export type RequestHandler = (req: http.IncomingMessage, res: http.ServerResponse) => void | Promise<void>;

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Required for a non-loopback host; then every /trpc request needs the bearer token or the login cookie. */
  token?: string | undefined;
  bodyLimitBytes?: number;
  /** Where the tRPC router is mounted. */
  basePath?: string;
  /**
   * Handles paths outside `basePath`, `/health`, `/login` and `/logout` (the composition root
   * serves the admin app's public files here, without the token).
   */
  fallback?: RequestHandler;
  /** Extra fields for `/health`. */
  health?: () => Record<string, unknown>;
  /** Host names, besides loopback names and IP addresses, that clients use to reach this server. */
  publicHosts?: readonly string[];
  maxBatchSize?: number;
  maxStreamsPerClient?: number;
  /** Where internal errors are logged with their error id. */
  logger?: Logger;
}

export interface ServedRouter {
  url: string;
  host: string;
  port: number;
  server: http.Server;
  /** Stops accepting connections, lets in-flight requests finish up to `graceMs`, then cuts the rest. */
  close(graceMs?: number): Promise<void>;
}

export function isLoopbackHost(host: string): boolean {
  return host === 'localhost' || host === '::1' || host === '[::1]' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/** Procedure calls named by a batch path, `/trpc/a,b,c` (counted without splitting). */
function callsIn(path: string): number {
  let calls = 1;
  for (let at = path.indexOf(','); at !== -1; at = path.indexOf(',', at + 1)) calls += 1;
  return calls;
}

/** The first name in `calls` (`a` or a batch `a,b,c`) that is not a procedure of the router. */
function unknownProcedureIn(calls: string, procedures: ReadonlyMap<string, unknown>): string | undefined {
  if (procedures.has(calls)) return undefined;
  if (!calls.includes(',')) return calls;
  return calls.split(',').find((name) => !procedures.has(name));
}

/**
 * Serves a router over HTTP. Every request passes the same cheap checks, in this order: Host
 * allow-list (421), Origin of state-changing requests (403), token (401), JSON content type of
 * tRPC POSTs (415: a cross-site form cannot send it without a preflight), body size (413),
 * open streams per client (429). Nothing a request does ends the process: a failure is logged
 * with an error id and the client gets a JSON error with the same id.
 */
export async function serve(router: AnyRouter, options: ServeOptions = {}): Promise<ServedRouter> {
  const host = options.host ?? DEFAULT_HOST;
  const token = options.token || undefined;
  if (!isLoopbackHost(host) && !token) {
    throw new Error(
      `refusing to listen on non-loopback host "${host}" without a token: set METASPO_API_TOKEN (clients then send "Authorization: Bearer <token>")`,
    );
  }
  if (token) checkTokenStrength(token);
  const guard = token ? createTokenGuard(token) : undefined;
  const logger = options.logger ?? createLogger({ name: 'metaspo-http' });
  const hostAllowed = compileHostAllowList([...(options.publicHosts ?? []), host]);
  const basePath = (options.basePath ?? '/trpc').replace(/\/$/, '');
  const prefix = `${basePath}/`;
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const maxBatchSize = options.maxBatchSize ?? DEFAULT_MAX_BATCH_SIZE;
  const maxStreams = options.maxStreamsPerClient ?? DEFAULT_MAX_STREAMS_PER_CLIENT;
  const procedures = listProcedures(router);
  const subscriptions = new Set(
    [...procedures].filter(([, type]) => type === 'subscription').map(([path]) => path),
  );
  const streamsByClient = new Map<string, number>();
  const trpcHandler = createHTTPHandler({
    router,
    basePath: prefix,
    maxBodySize: bodyLimit,
    maxBatchSize,
    createContext: () => createServiceContext(),
    onError: ({ error, path }) => {
      if (getHTTPStatusCodeFromError(error) < 500) return;
      // A call whose client went away (or whose server is closing) is not a fault of the server.
      const aborted = error.cause instanceof Error && error.cause.name === 'AbortError';
      if (aborted) logger.warn({ errorId: errorIdOf(error), path }, 'procedure aborted');
      else logger.error({ errorId: errorIdOf(error), path, err: error }, 'procedure failed');
    },
  });

  const countStream = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const client = req.socket.remoteAddress ?? '';
    const open = streamsByClient.get(client) ?? 0;
    if (open >= maxStreams) {
      sendTrpcError(
        res,
        429,
        'TOO_MANY_REQUESTS',
        `too many open event streams from ${client}: at most ${maxStreams}; close a tab or a watching command`,
      );
      return false;
    }
    streamsByClient.set(client, open + 1);
    res.once('close', () => {
      const left = (streamsByClient.get(client) ?? 1) - 1;
      if (left <= 0) streamsByClient.delete(client);
      else streamsByClient.set(client, left);
    });
    return true;
  };

  const handle = async (req: http.IncomingMessage, res: http.ServerResponse) => {
    const url = req.url ?? '/';
    const query = url.indexOf('?');
    const path = query === -1 ? url : url.slice(0, query);
    const hostHeader = req.headers.host;
    if (hostHeader === undefined) {
      sendJson(res, 400, { error: 'the Host header is required' });
      return;
    }
    if (!hostAllowed(hostHeader)) {
      sendJson(res, 421, {
        error: `host "${hostHeader}" is not a name of this server: use a loopback name, an IP address or a configured public host name`,
      });
      return;
    }
    if (path === '/health') {
      sendJson(res, 200, { ok: true, ...(options.health?.() ?? {}) });
      return;
    }
    const method = req.method ?? 'GET';
    if (method !== 'GET' && method !== 'HEAD' && !isSameOriginOrAbsent(req.headers.origin, hostHeader)) {
      sendJson(res, 403, {
        error: `cross-origin request refused: origin "${req.headers.origin}" is not this server`,
      });
      return;
    }
    if (path === '/login' || path === '/logout') {
      await handleSession(req, res, path, guard);
      return;
    }
    if (path !== basePath && !path.startsWith(prefix)) {
      if (options.fallback) await options.fallback(req, res);
      else sendJson(res, 404, { error: `no route for ${path}` });
      return;
    }
    if (guard && !guard.accepts(req.headers.authorization, req.headers.cookie)) {
      sendTrpcError(
        res,
        401,
        'UNAUTHORIZED',
        'unauthorized: send "Authorization: Bearer <token>" or log in at /login',
        { 'www-authenticate': 'Bearer' },
      );
      return;
    }
    if (method !== 'GET' && method !== 'POST') {
      sendTrpcError(
        res,
        405,
        'METHOD_NOT_SUPPORTED',
        `${method} is not served: tRPC takes GET (queries, subscriptions) and POST (mutations)`,
        { allow: 'GET, POST' },
      );
      return;
    }
    // tRPC picks a body parser by content type (form data, octet streams); only JSON is served.
    const contentType = req.headers['content-type'];
    if ((method === 'POST' || contentType !== undefined) && !isJsonContentType(contentType)) {
      sendTrpcError(res, 415, 'UNSUPPORTED_MEDIA_TYPE', 'tRPC requests take content-type application/json');
      return;
    }
    const declaredLength = Number(req.headers['content-length'] ?? 0);
    if (declaredLength > bodyLimit) {
      sendTrpcError(
        res,
        413,
        'PAYLOAD_TOO_LARGE',
        `request body of ${declaredLength} bytes exceeds the limit of ${bodyLimit} bytes`,
      );
      req.resume();
      return;
    }
    const calls = path.slice(prefix.length);
    const unknown = unknownProcedureIn(calls, procedures);
    if (unknown !== undefined) {
      sendTrpcError(res, 404, 'NOT_FOUND', `No procedure found on path "${unknown.slice(0, 200)}"`);
      return;
    }
    const batchSize = callsIn(path);
    if (batchSize > maxBatchSize) {
      sendTrpcError(
        res,
        400,
        'BAD_REQUEST',
        `a batch of ${batchSize} calls exceeds the limit of ${maxBatchSize} per request: split it`,
      );
      return;
    }
    if (method === 'GET' && subscriptions.has(calls) && !countStream(req, res)) return;
    await trpcHandler(req, res);
  };

  const failInternal = (res: http.ServerResponse, error: unknown) => {
    const errorId = errorIdOf(typeof error === 'object' && error !== null ? error : { error });
    logger.error({ errorId, err: error }, 'request failed');
    sendJson(res, 500, { error: 'internal error', errorId });
  };

  // Node's own refusal of a request without Host has no body; this server answers it in JSON.
  const server = http.createServer({ requireHostHeader: false }, (req, res) => {
    handle(req, res).catch((error: unknown) => failInternal(res, error));
  });
  server.on('clientError', answerClientError);

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const address = server.address() as AddressInfo;
  const urlHost = address.family === 'IPv6' ? `[${address.address}]` : address.address;

  return {
    url: `http://${urlHost}:${address.port}`,
    host,
    port: address.port,
    server,
    close: (graceMs = 5_000) =>
      new Promise<void>((resolve) => {
        const timer = setTimeout(() => server.closeAllConnections(), graceMs);
        timer.unref();
        server.close(() => {
          clearTimeout(timer);
          resolve();
        });
        server.closeIdleConnections();
      }),
  };
}
