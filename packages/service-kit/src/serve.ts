import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnyRouter } from '@trpc/server';
import { createHTTPHandler } from '@trpc/server/adapters/standalone';
import { createServiceContext } from './trpc.js';

export const DEFAULT_HOST = '127.0.0.1';
export const DEFAULT_BODY_LIMIT_BYTES = 32 * 1024 * 1024;

export interface ServeOptions {
  host?: string;
  port?: number;
  /** Required for a non-loopback host; then every request must send `Authorization: Bearer <token>`. */
  token?: string;
  bodyLimitBytes?: number;
  /** Where the tRPC router is mounted. */
  basePath?: string;
  /** Handles paths outside `basePath` and `/health` (the composition root serves the admin app here). */
  fallback?: http.RequestListener;
  /** Extra fields for `/health`. */
  health?: () => Record<string, unknown>;
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

function sendJson(
  res: http.ServerResponse,
  status: number,
  body: unknown,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify(body));
}

export async function serve(router: AnyRouter, options: ServeOptions = {}): Promise<ServedRouter> {
  const host = options.host ?? DEFAULT_HOST;
  const token = options.token || undefined;
  if (!isLoopbackHost(host) && !token) {
    throw new Error(
      `refusing to listen on non-loopback host "${host}" without a token: set METASPO_API_TOKEN (clients then send "Authorization: Bearer <token>")`,
    );
  }
  const basePath = (options.basePath ?? '/trpc').replace(/\/$/, '');
  const bodyLimit = options.bodyLimitBytes ?? DEFAULT_BODY_LIMIT_BYTES;
  const trpcHandler = createHTTPHandler({
    router,
    basePath: `${basePath}/`,
    maxBodySize: bodyLimit,
    createContext: () => createServiceContext(),
  });

  const server = http.createServer((req, res) => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    if (path === '/health') {
      sendJson(res, 200, { ok: true, ...(options.health?.() ?? {}) });
      return;
    }
    if (token && req.headers.authorization !== `Bearer ${token}`) {
      sendJson(
        res,
        401,
        { error: 'unauthorized: send "Authorization: Bearer <token>"' },
        {
          'www-authenticate': 'Bearer',
        },
      );
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
    if (path === basePath || path.startsWith(`${basePath}/`)) {
      trpcHandler(req, res);
      return;
    }
    if (options.fallback) {
      options.fallback(req, res);
      return;
    }
    sendJson(res, 404, { error: `no route for ${path}` });
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
