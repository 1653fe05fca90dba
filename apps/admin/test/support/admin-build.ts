import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { adminSourceHash, readBuildStamp } from '../../build-stamp.mjs';

export const ADMIN_ROOT = fileURLToPath(new URL('../..', import.meta.url));
export const ADMIN_DIST = path.join(ADMIN_ROOT, 'dist');

/** `vite build` in `packageDir` in its own process, as `pnpm --filter @metaspo/admin build` runs it. */
export function viteBuild(packageDir: string): void {
  const vite = path.join(
    path.dirname(createRequire(import.meta.url).resolve('vite/package.json')),
    'bin',
    'vite.js',
  );
  // Inside vitest NODE_ENV is `test`, and a build made with it would carry React's development code.
  const { NODE_ENV: _testEnv, ...env } = process.env;
  const built = spawnSync(process.execPath, [vite, 'build', '--logLevel', 'error'], {
    cwd: packageDir,
    env,
    encoding: 'utf8',
  });
  if (built.status !== 0) throw new Error(`vite build failed: ${built.stderr || built.stdout}`);
}

/**
 * The browser tests drive the bundle `metaspo serve` serves, so they (re)build it when it is
 * missing or its stamp is not the sources' hash: the server's own check, so it never rebuilds
 * the workspace's dist/ under a running test.
 */
export async function ensureAdminBuild(): Promise<string> {
  if (
    !fs.existsSync(path.join(ADMIN_DIST, 'index.html')) ||
    readBuildStamp(ADMIN_DIST) !== adminSourceHash(ADMIN_ROOT)
  ) {
    viteBuild(ADMIN_ROOT);
  }
  return ADMIN_DIST;
}
