import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { PlatformConfigSchema, type RunningServer, startServer } from '@metaspo/server';
import type { Browser, Page } from 'playwright-core';
import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { ensureAdminBuild } from './support/admin-build.js';
import { launchChromium, watchPage } from './support/browser.js';

/**
 * A server started with a local source folder (`metaspo serve --shared-datasets DIR`): the
 * Datasets page offers that folder instead of a download. The folder is empty, so the fetch
 * fails, and the page shows the registry's reason without the offline instructions.
 */
describe('Datasets page with a local source folder', () => {
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  let dataDir: string;
  let sourceDir: string;

  beforeAll(async () => {
    const adminDir = await ensureAdminBuild();
    dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-admin-test-'));
    sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-shared-'));
    server = await startServer({
      port: 0,
      host: '127.0.0.1',
      dataDir,
      adminDir,
      env: {},
      config: PlatformConfigSchema.parse({}),
      sharedDatasetsDir: sourceDir,
    });
    browser = await launchChromium();
  }, 240_000);

  beforeEach(async () => {
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    seen = watchPage(page);
  });

  afterEach(async () => {
    expect(seen.errors).toEqual([]);
    await page?.close();
  });

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
    fs.rmSync(sourceDir, { recursive: true, force: true });
  });

  it("offers the server's folder, and reports a fetch that finds nothing there", async () => {
    await page.goto(`${server.url}/#/datasets`);
    const medical = page.getByRole('region', { name: 'Domain medical' });
    const button = medical.getByRole('button', { name: "Fetch medical from the server's folder" });
    await button.waitFor();
    expect(await medical.textContent()).toContain(`reads ${sourceDir}`);
    await button.click();
    const error = medical.getByRole('alert');
    await error.waitFor({ timeout: 30_000 });
    // The registry names the file it looked for in the folder.
    expect(await error.textContent()).toContain(sourceDir);
    expect(await error.textContent()).toContain('file not found');
    expect(await medical.getByText('Without internet access').count()).toBe(0);
    expect(await button.isDisabled()).toBe(false);
  });
});
