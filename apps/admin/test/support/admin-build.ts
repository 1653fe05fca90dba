import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ADMIN_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ADMIN_DIST = path.join(ADMIN_ROOT, 'dist');

function newestMtime(dir: string): number {
  let newest = 0;
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    newest = Math.max(newest, entry.isDirectory() ? newestMtime(full) : fs.statSync(full).mtimeMs);
  }
  return newest;
}

/**
 * The browser tests drive the bundle `metaspo serve` serves, so they (re)build it when it is
 * missing or older than a source file. The build is `vite build` in its own process, as
 * `pnpm --filter @metaspo/admin build` runs it: inside vitest, NODE_ENV is `test`, and a build
 * made there would carry React's development code.
 */
export async function ensureAdminBuild(): Promise<string> {
  const index = path.join(ADMIN_DIST, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(ADMIN_ROOT, 'src')),
    fs.statSync(path.join(ADMIN_ROOT, 'index.html')).mtimeMs,
    fs.statSync(path.join(ADMIN_ROOT, 'vite.config.ts')).mtimeMs,
  );
  if (!fs.existsSync(index) || fs.statSync(index).mtimeMs < sources) {
    const vite = path.join(
      path.dirname(createRequire(import.meta.url).resolve('vite/package.json')),
      'bin',
      'vite.js',
    );
    const { NODE_ENV: _testEnv, ...env } = process.env;
    const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], {
      cwd: ADMIN_ROOT,
      env,
      encoding: 'utf8',
    });
    if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr || built.stdout}`);
  }
  return ADMIN_DIST;
}
