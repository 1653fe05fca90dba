import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { build } from 'vite';

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
 * missing or older than a source file, the same way `pnpm --filter @metaspo/admin build` does.
 */
export async function ensureAdminBuild(): Promise<string> {
  const index = path.join(ADMIN_DIST, 'index.html');
  const sources = Math.max(
    newestMtime(path.join(ADMIN_ROOT, 'src')),
    fs.statSync(path.join(ADMIN_ROOT, 'index.html')).mtimeMs,
  );
  if (!fs.existsSync(index) || fs.statSync(index).mtimeMs < sources) {
    await build({ root: ADMIN_ROOT, configFile: path.join(ADMIN_ROOT, 'vite.config.ts'), logLevel: 'error' });
  }
  return ADMIN_DIST;
}
