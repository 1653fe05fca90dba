import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROOT } from './support/admin-build.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

/** The admin package as a fresh clone has it: sources and installed dependencies, no `dist/`. */
function copyUnbuiltAdmin(into: string): string {
  const packageDir = path.join(into, 'admin');
  fs.mkdirSync(packageDir);
  for (const file of ['package.json', 'index.html', 'vite.config.ts', 'tsconfig.json']) {
    fs.copyFileSync(path.join(ADMIN_ROOT, file), path.join(packageDir, file));
  }
  fs.cpSync(path.join(ADMIN_ROOT, 'src'), path.join(packageDir, 'src'), { recursive: true });
  fs.symlinkSync(path.join(ADMIN_ROOT, 'node_modules'), path.join(packageDir, 'node_modules'), 'dir');
  return packageDir;
}

/**
 * `pnpm install` then `pnpm metaspo serve` on a fresh clone: the first request for the app
 * builds it (the server says so on stderr) and the app is served once the build is in place.
 */
describe('admin app on its first serve', () => {
  let dir: string;
  let packageDir: string;
  let server: TestPlatform | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-first-serve-'));
    packageDir = copyUnbuiltAdmin(dir);
  });

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('answers with a page that reloads while it builds, then serves the built app', async () => {
    server = await startPlatform({ adminDir: path.join(packageDir, 'dist') });
    const first = await fetch(`${server.url}/#/runs`);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('3');
    expect(first.headers.get('content-type')).toContain('text/html');
    const building = await first.text();
    expect(building).toContain('http-equiv="refresh"');
    expect(building).toContain('being built');

    let served: Response | undefined;
    for (let i = 0; i < 240 && served?.status !== 200; i += 1) {
      await new Promise((resolve) => setTimeout(resolve, 500));
      served = await fetch(`${server.url}/`);
    }
    expect(served?.status).toBe(200);
    const html = (await served?.text()) ?? '';
    expect(html).toContain('<div id="root"></div>');
    const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
    expect(entry).toBeDefined();
    const script = await fetch(`${server.url}${entry}`);
    expect(script.status).toBe(200);
    expect(script.headers.get('content-type')).toContain('text/javascript');

    // Built into place, with no staging folder left behind.
    expect(fs.existsSync(path.join(packageDir, 'dist', 'index.html'))).toBe(true);
    expect(fs.readdirSync(packageDir).filter((name) => name.startsWith('.dist-building'))).toEqual([]);
    const said = server.stderr();
    expect(said).toContain('the admin app is not built yet; building it now');
    expect(said).toMatch(/admin app built in \d+ s/);
  }, 240_000);

  it('only says how to build a folder that is not the admin package’s own dist/', async () => {
    const elsewhere = path.join(dir, 'not-admin', 'dist');
    fs.mkdirSync(elsewhere, { recursive: true });
    const other = await startPlatform({ adminDir: elsewhere });
    try {
      const answer = await fetch(`${other.url}/`);
      expect(answer.status).toBe(503);
      expect(await answer.text()).toContain('pnpm --filter @metaspo/admin build');
      expect(fs.readdirSync(elsewhere)).toEqual([]);
    } finally {
      await other.close();
    }
  });
});
