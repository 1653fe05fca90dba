import { spawn } from 'node:child_process';
import fs from 'node:fs';
import type http from 'node:http';
import { createRequire } from 'node:module';
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

/** The admin package whose `vite build` writes `root`: only when `root` is its `dist/` in a source checkout. */
interface AdminSource {
  packageDir: string;
  viteBin: string;
}

function adminSourceOf(root: string): AdminSource | undefined {
  if (path.basename(root) !== 'dist') return undefined;
  const packageDir = path.dirname(root);
  const manifest = path.join(packageDir, 'package.json');
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      !('name' in parsed) ||
      parsed.name !== '@metaspo/admin'
    ) {
      return undefined;
    }
    const vitePackage = createRequire(manifest).resolve('vite/package.json');
    return { packageDir, viteBin: path.join(path.dirname(vitePackage), 'bin', 'vite.js') };
  } catch {
    return undefined;
  }
}

type AdminBuild = { state: 'building' } | { state: 'failed'; reason: string };

/** One build per build directory and process; the entry goes once the build is in place. */
const adminBuilds = new Map<string, AdminBuild>();

function runViteBuild(source: AdminSource, outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [source.viteBin, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      // A production build whatever NODE_ENV the server was started with (React checks it).
      {
        cwd: source.packageDir,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output = `${output}${chunk.toString('utf8')}`.slice(-4_000);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`vite build ended with ${code ?? signal}: ${output.trim() || 'no output'}`));
    });
  });
}

/**
 * Builds the admin app into `root` in the background. It builds into a staging folder and renames
 * it into place, so a request never reads a half-written build and a second process building at
 * the same moment leaves the first one's result alone.
 */
function startAdminBuild(root: string, source: AdminSource): AdminBuild {
  const running = adminBuilds.get(root);
  if (running) return running;
  const build: AdminBuild = { state: 'building' };
  adminBuilds.set(root, build);
  const staging = path.join(source.packageDir, `.dist-building-${process.pid}`);
  const started = Date.now();
  process.stderr.write(
    `metaspo: the admin app is not built yet; building it now into ${root} (vite build, usually under a minute)\n`,
  );
  void runViteBuild(source, staging)
    .then(async () => {
      try {
        await fs.promises.rename(staging, root);
      } catch (error) {
        if (!fs.existsSync(path.join(root, 'index.html'))) throw error;
      }
      adminBuilds.delete(root);
      process.stderr.write(`metaspo: admin app built in ${Math.round((Date.now() - started) / 1000)} s\n`);
    })
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      adminBuilds.set(root, { state: 'failed', reason });
      process.stderr.write(`metaspo: building the admin app failed: ${reason}\n`);
    })
    .finally(() => fs.promises.rm(staging, { recursive: true, force: true }));
  return build;
}

const BUILDING_PAGE = `<!doctype html>
<html lang="en">
  <head>
    <meta charset="utf-8" />
    <meta http-equiv="refresh" content="3" />
    <title>Building the MetaSPO admin app</title>
  </head>
  <body>
    <p>The admin app is being built on its first serve (usually under a minute). This page reloads by itself.</p>
  </body>
</html>
`;

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
  const build = startAdminBuild(root, source);
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
  res.end(req.method === 'HEAD' ? undefined : BUILDING_PAGE);
}

/**
 * Serves the admin app's build: files under `root`, and `index.html` for any other GET path so
 * the single-page app's routes load. Paths are resolved inside `root` only. When `root` is the
 * admin package's `dist/` and holds no build yet (a fresh clone), the first request starts one.
 * A file that cannot be read to its end cuts that one response; the server goes on.
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
