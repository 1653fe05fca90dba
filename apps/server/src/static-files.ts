import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RequestHandler } from '@metaspo/service-kit';

const CONTENT_TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json',
  '.woff2': 'font/woff2',
};

/**
 * The app's code and styles come from this server only; it talks to this server only; no page
 * may frame it (clickjacking). Inline style attributes stay allowed: the chart library sets them.
 */
export const ADMIN_SECURITY_HEADERS: Readonly<Record<string, string>> = {
  'content-security-policy':
    "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; " +
    "font-src 'self'; connect-src 'self'; object-src 'none'; base-uri 'none'; form-action 'self'; " +
    "frame-ancestors 'none'",
  'x-frame-options': 'DENY',
  'x-content-type-options': 'nosniff',
  'referrer-policy': 'no-referrer',
};

function sendText(
  res: http.ServerResponse,
  status: number,
  text: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, {
    ...ADMIN_SECURITY_HEADERS,
    'content-type': 'text/plain; charset=utf-8',
    ...headers,
  });
  res.end(text);
}

function sendJsonError(
  res: http.ServerResponse,
  status: number,
  error: string,
  headers: Record<string, string> = {},
) {
  res.writeHead(status, { ...ADMIN_SECURITY_HEADERS, 'content-type': 'application/json', ...headers });
  res.end(JSON.stringify({ error }));
}

/** Opens `file` if it is a regular file; the handle is then read without a second lookup. */
async function openRegularFile(file: string): Promise<fs.promises.FileHandle | undefined> {
  let handle: fs.promises.FileHandle;
  try {
    handle = await fs.promises.open(file, 'r');
  } catch {
    return undefined;
  }
  const stat = await handle.stat().catch(() => undefined);
  if (stat?.isFile()) return handle;
  await handle.close();
  return undefined;
}

/**
 * Serves the admin app's build: files under `root`, and `index.html` for any other GET path so
 * the single-page app's routes load. Paths are resolved inside `root` only. A file that cannot be
 * read to its end cuts that one response; the server goes on.
 */
export function createStaticHandler(root: string): RequestHandler {
  const resolvedRoot = path.resolve(root);
  const indexFile = path.join(resolvedRoot, 'index.html');
  return async (req, res) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') {
      sendJsonError(res, 405, `${req.method} is not served here: the admin app's files take GET or HEAD`, {
        allow: 'GET, HEAD',
      });
      return;
    }
    let urlPath: string;
    try {
      urlPath = decodeURIComponent((req.url ?? '/').split('?')[0] ?? '/');
    } catch {
      sendJsonError(res, 400, 'malformed percent-encoding in the request path');
      return;
    }
    if (urlPath.includes('\0')) {
      sendJsonError(res, 400, 'the request path holds a NUL byte');
      return;
    }
    const candidate = path.resolve(resolvedRoot, `.${urlPath}`);
    const inside = candidate === resolvedRoot || candidate.startsWith(`${resolvedRoot}${path.sep}`);
    let file = inside ? candidate : indexFile;
    let handle = await openRegularFile(file);
    if (!handle && file !== indexFile) {
      file = indexFile;
      handle = await openRegularFile(file);
    }
    if (!handle) {
      sendText(
        res,
        503,
        'The admin app is not built. Run `pnpm --filter @metaspo/admin build`, then reload.\n',
      );
      return;
    }
    const type = CONTENT_TYPES[path.extname(file)] ?? 'application/octet-stream';
    const immutable = file !== indexFile && file.includes(`${path.sep}assets${path.sep}`);
    res.writeHead(200, {
      ...ADMIN_SECURITY_HEADERS,
      'content-type': type,
      'cache-control': immutable ? 'public, max-age=31536000, immutable' : 'no-cache',
    });
    if (req.method === 'HEAD') {
      await handle.close();
      res.end();
      return;
    }
    res.flushHeaders();
    try {
      await pipeline(handle.createReadStream(), res);
    } catch {
      // A read error (or the client leaving) after the headers went out: only this response ends.
      res.destroy();
    }
  };
}
