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
  type TokenGuard,
} from './http-guards.js';
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
  token?: string;
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

const JSON_HEADERS = { 'content-type': 'application/json', 'x-content-type-options': 'nosniff' } as const;
const LOGIN_BODY_LIMIT_BYTES = 4_096;

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  if (res.headersSent) {
    res.destroy();
    return;
  }
  res.writeHead(status, { ...JSON_HEADERS, ...headers });
  res.end(JSON.stringify(body));
}

/** Procedure calls named by a batch path, `/trpc/a,b,c` (counted without splitting). */
function callsIn(path: string): number {
  let calls = 1;
  for (let at = path.indexOf(','); at !== -1; at = path.indexOf(',', at + 1)) calls += 1;
  return calls;
}

/** The body as text, or `undefined` past `limit` bytes or when the client went away. */
function readSmallBody(req: http.IncomingMessage, limit: number): Promise<string | undefined> {
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > limit) {
        req.removeAllListeners('data');
        req.resume();
        resolve(undefined);
      } else chunks.push(chunk);
    });
    req.once('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.once('error', () => resolve(undefined));
  });
}

/** `POST /login {token}` sets the admin app's HttpOnly session cookie; `POST /logout` clears it. */
async function handleSession(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  path: string,
  guard: TokenGuard | undefined,
) {
  if (!guard) {
    sendJson(res, 404, { error: 'this server has no token set: there is nothing to log in to' });
    return;
  }
  if (req.method !== 'POST') {
    sendJson(res, 405, { error: `${path} takes POST` }, { allow: 'POST' });
    return;
  }
  if (path === '/logout') {
    res.writeHead(204, { 'set-cookie': guard.clearedCookie(), 'cache-control': 'no-store' }).end();
    return;
  }
  if (!isJsonContentType(req.headers['content-type'])) {
    sendJson(res, 415, { error: '/login takes content-type application/json: {"token": "..."}' });
    return;
  }
  const body = await readSmallBody(req, LOGIN_BODY_LIMIT_BYTES);
  if (body === undefined) {
    sendJson(res, 413, { error: `/login takes a body of at most ${LOGIN_BODY_LIMIT_BYTES} bytes` });
    return;
  }
  let token: unknown;
  try {
    token = (JSON.parse(body) as { token?: unknown } | null)?.token;
  } catch {
    token = undefined;
  }
  if (typeof token !== 'string') {
    sendJson(res, 400, { error: '/login takes a JSON body {"token": "<METASPO_API_TOKEN>"}' });
    return;
  }
  if (!guard.acceptsToken(token)) {
    sendJson(res, 401, { error: 'wrong token' });
    return;
  }
  const secure = req.headers['x-forwarded-proto'] === 'https';
  res.writeHead(204, { 'set-cookie': guard.sessionCookie(secure), 'cache-control': 'no-store' }).end();
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
  const subscriptions = new Set(
    [...listProcedures(router)].filter(([, type]) => type === 'subscription').map(([path]) => path),
  );
  const streamsByClient = new Map<string, number>();
  const trpcHandler = createHTTPHandler({
    router,
    basePath: prefix,
    maxBodySize: bodyLimit,
    maxBatchSize,
    createContext: () => createServiceContext(),
    onError: ({ error, path }) => {
      if (getHTTPStatusCodeFromError(error) >= 500)
        logger.error({ errorId: errorIdOf(error), path, err: error }, 'procedure failed');
    },
  });

  const countStream = (req: http.IncomingMessage, res: http.ServerResponse): boolean => {
    const client = req.socket.remoteAddress ?? '';
    const open = streamsByClient.get(client) ?? 0;
    if (open >= maxStreams) {
      sendJson(res, 429, {
        error: `too many open event streams from ${client}: at most ${maxStreams}; close a tab or a watching command`,
      });
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
      sendJson(
        res,
        401,
        { error: 'unauthorized: send "Authorization: Bearer <token>" or log in at /login' },
        { 'www-authenticate': 'Bearer' },
      );
      return;
    }
    if (method === 'POST' && !isJsonContentType(req.headers['content-type'])) {
      sendJson(res, 415, { error: 'tRPC requests take content-type application/json' });
      return;
    }
    const declaredLength = Number(req.headers['content-length'] ?? 0);
    if (declaredLength > bodyLimit) {
      sendJson(res, 413, {
        error: `request body of ${declaredLength} bytes exceeds the limit of ${bodyLimit} bytes`,
      });
      req.resume();
      return;
    }
    const batchSize = callsIn(path);
    if (batchSize > maxBatchSize) {
      sendJson(res, 400, {
        error: `a batch of ${batchSize} calls exceeds the limit of ${maxBatchSize} per request: split it`,
      });
      return;
    }
    if (method === 'GET' && subscriptions.has(path.slice(prefix.length)) && !countStream(req, res)) return;
    await trpcHandler(req, res);
  };

  const failInternal = (res: http.ServerResponse, error: unknown) => {
    const errorId = errorIdOf(typeof error === 'object' && error !== null ? error : { error });
    logger.error({ errorId, err: error }, 'request failed');
    sendJson(res, 500, { error: 'internal error', errorId });
  };

  const server = http.createServer((req, res) => {
    handle(req, res).catch((error: unknown) => failInternal(res, error));
  });

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
