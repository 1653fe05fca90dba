import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_ROOT, viteBuild } from './support/admin-build.js';
import { copyAdminWorkspace } from './support/admin-workspace.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

/** The app's entry script as the server serves it (index.html's module script). */
async function servedEntry(url: string): Promise<string> {
  const html = await (await fetch(`${url}/`)).text();
  const entry = /src="(\/assets\/index-[^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error(`no entry script in ${html.slice(0, 300)}`);
  return (await fetch(`${url}${entry}`)).text();
}

/** The server's stderr once it says `text`, polled for up to `ms` (it checks the build after listening). */
async function saysWithin(server: TestPlatform, text: string, ms: number): Promise<string> {
  for (let waited = 0; !server.stderr().includes(text) && waited < ms; waited += 100) {
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return server.stderr();
}

/** Polls `/` until the build is in place (or 2 minutes pass); the last answer. */
async function waitForApp(url: string): Promise<Response | undefined> {
  let served: Response | undefined;
  for (let i = 0; i < 240 && served?.status !== 200; i += 1) {
    await new Promise((resolve) => setTimeout(resolve, 500));
    served = await fetch(`${url}/`);
  }
  return served;
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
    packageDir = copyAdminWorkspace(dir);
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

    const served = await waitForApp(server.url);
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

/**
 * A user who built the app (by hand, or on a first serve), then pulled new sources: the next
 * start sees the build's stamp differ from the sources, rebuilds the same way, and serves the
 * new app. An install without sources serves its dist/ as it is.
 */
describe('admin app built from older sources', () => {
  let dir: string;
  let packageDir: string;
  let server: TestPlatform | undefined;

  beforeAll(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-stale-build-'));
    packageDir = copyAdminWorkspace(dir);
    viteBuild(packageDir);
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('serves a current build as it is, and rebuilds one whose sources changed since', async () => {
    const dist = path.join(packageDir, 'dist');
    server = await startPlatform({ adminDir: dist });
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    const before = await servedEntry(server.url);
    expect(before).toContain('label:`Models`'.replaceAll('`', '"'));
    await server.close();
    expect(server.stderr()).not.toContain('out of date');
    expect(server.stderr()).not.toContain('building');

    // A pull changes one source file: the navigation's label.
    const app = path.join(packageDir, 'src', 'App.tsx');
    fs.writeFileSync(app, fs.readFileSync(app, 'utf8').replace("label: 'Models'", "label: 'Model catalog'"));
    server = await startPlatform({ adminDir: dist });
    const first = await fetch(`${server.url}/#/runs`);
    expect(first.status).toBe(503);
    expect(first.headers.get('retry-after')).toBe('3');
    const building = await first.text();
    expect(building).toContain('http-equiv="refresh"');
    expect(building).toContain('being rebuilt');
    expect((await waitForApp(server.url))?.status).toBe(200);
    const after = await servedEntry(server.url);
    expect(after).toContain('Model catalog');
    expect(after).not.toBe(before);
    const said = server.stderr();
    expect(said).toContain(`the admin build in ${dist} is out of date`);
    expect(said).toContain('changed since it was built');
    expect(said).toMatch(/rebuilding the admin app into [\s\S]*admin app built in \d+ s/);
    expect(fs.readdirSync(packageDir).filter((name) => name.startsWith('.dist-'))).toEqual([]);
  }, 240_000);

  it('rebuilds a build whose lockfile changed since, and the rebuild is current', async () => {
    const dist = path.join(packageDir, 'dist');
    server = await startPlatform({ adminDir: dist });
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    await server.close();
    expect(server.stderr()).not.toContain('out of date');

    // A pull that upgrades a library: the sources stay, the workspace's lockfile changes.
    const lockfile = path.join(dir, 'pnpm-lock.yaml');
    fs.appendFileSync(lockfile, '# a dependency upgrade\n');
    server = await startPlatform({ adminDir: dist });
    // Said at start, before any request for the app.
    expect(await saysWithin(server, 'out of date', 10_000)).toContain(
      `the admin build in ${dist} is out of date`,
    );
    const first = await fetch(`${server.url}/`);
    expect(first.status).toBe(503);
    expect(await first.text()).toContain('being rebuilt');
    expect((await waitForApp(server.url))?.status).toBe(200);
    await server.close();
    expect(server.stderr()).toMatch(/rebuilding the admin app into [\s\S]*admin app built in \d+ s/);

    // The rebuild's stamp covers the new lockfile: the next start serves it as it is.
    server = await startPlatform({ adminDir: dist });
    expect((await fetch(`${server.url}/`)).status).toBe(200);
    await server.close();
    expect(server.stderr()).not.toContain('out of date');
    expect(server.stderr()).not.toContain('building');
  }, 240_000);

  it('serves the dist/ of an install without sources as it is', async () => {
    // The package's build, with package.json but no src/ (and no stamp) beside it.
    const installed = path.join(dir, 'installed', 'admin');
    fs.mkdirSync(installed, { recursive: true });
    fs.copyFileSync(path.join(packageDir, 'package.json'), path.join(installed, 'package.json'));
    fs.cpSync(path.join(packageDir, 'dist'), path.join(installed, 'dist'), { recursive: true });
    fs.symlinkSync(path.join(ADMIN_ROOT, 'node_modules'), path.join(installed, 'node_modules'), 'dir');
    fs.rmSync(path.join(installed, 'dist', 'build-stamp.json'));
    const packaged = await startPlatform({ adminDir: path.join(installed, 'dist') });
    try {
      const served = await fetch(`${packaged.url}/`);
      expect(served.status).toBe(200);
      expect(await served.text()).toBe(fs.readFileSync(path.join(installed, 'dist', 'index.html'), 'utf8'));
    } finally {
      await packaged.close();
    }
    expect(packaged.stderr()).not.toContain('out of date');
    expect(packaged.stderr()).not.toContain('building');
  });
});
