import fs from 'node:fs';
import type http from 'node:http';
import path from 'node:path';
import { pipeline } from 'node:stream/promises';
import type { RequestHandler } from '@metaspo/service-kit';
import {
  type AdminBuild,
  type AdminBuildCause,
  adminBuildOf,
  adminSourceOf,
  staleAdminSource,
  startAdminBuild,
} from './admin-build.js';

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
const ADMIN_SECURITY_HEADERS: Readonly<Record<string, string>> = {
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

const BUILDING_NOTE: Record<AdminBuildCause, string> = {
  missing: 'The admin app is being built on its first serve (usually under a minute).',
  stale:
    'The admin app is being rebuilt: its sources changed since it was last built (usually under a minute).',
};

const buildingPage = (cause: AdminBuildCause) => `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="refresh" content="3" />
    <title>Building the MetaSPO admin app</title>
  </head>
  <body>
    <p>${BUILDING_NOTE[cause]} This page reloads by itself.</p>
  </body>
</html>
`;

/** A build under way answers with a page that reloads until it is in place; a failed one says why. */
function answerBuild(req: http.IncomingMessage, res: http.ServerResponse, build: AdminBuild): void {
  if (build.state === 'failed') {
    sendText(
      res,
      503,
      `The admin app could not be built: ${build.reason}\nRun \`pnpm --filter @metaspo/admin build\`, then reload.\n`,
    );
    return;
  }
  res.writeHead(503, {
    ...ADMIN_SECURITY_HEADERS,
    'content-type': 'text/html; charset=utf-8',
    'cache-control': 'no-store',
    'retry-after': '3',
  });
  res.end(req.method === 'HEAD' ? undefined : buildingPage(build.cause));
}

/** No build to serve: build it when this is the admin package's own `dist/`, else say how to. */
function answerMissingBuild(req: http.IncomingMessage, res: http.ServerResponse, root: string): void {
  const source = adminSourceOf(root);
  if (!source) {
    sendText(
      res,
      503,
      'The admin app is not built. Run `pnpm --filter @metaspo/admin build`, then reload.\n',
    );
    return;
  }
  answerBuild(req, res, startAdminBuild(root, source, 'missing'));
}

/**
 * Serves the admin app's build: files under `root`, and `index.html` for any other GET path so
 * the single-page app's routes load. Paths are resolved inside `root` only. When `root` is the
 * admin package's `dist/` and holds no build yet (a fresh clone), the first request starts one;
 * when it holds a build of older sources (checked once, at start), the first request starts the
 * rebuild and requests wait on it as on a first build. A file that cannot be read to its end cuts
 * that one response; the server goes on.
 */
export function createStaticHandler(root: string): RequestHandler {
  const resolvedRoot = path.resolve(root);
  const indexFile = path.join(resolvedRoot, 'index.html');
  const stale = staleAdminSource(resolvedRoot);
  let rebuildStarted = false;
  return async (req, res) => {
    const source = await stale;
    if (source && !rebuildStarted) {
      rebuildStarted = true;
      startAdminBuild(resolvedRoot, source, 'stale');
    }
    const build = adminBuildOf(resolvedRoot);
    // A missing build's failure leaves room for one built by hand; a stale one's never serves the old app.
    if (build && (build.state === 'building' || build.cause === 'stale')) {
      answerBuild(req, res, build);
      return;
    }
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
      answerMissingBuild(req, res, resolvedRoot);
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
