import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

/**
 * A server started with a local source folder (`metaspo serve --shared-datasets DIR`): the
 * Datasets page offers that folder instead of a download. The folder is empty, so the fetch
 * fails, and the page shows the registry's reason without the offline instructions.
 */
describe('Datasets page with a local source folder', () => {
  const session = useBrowser({ failOnPageErrors: true });
  let server: TestPlatform;
  let sourceDir: string;

  beforeAll(async () => {
    sourceDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-shared-'));
    server = await startPlatform({ sharedDatasetsDir: sourceDir });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
    fs.rmSync(sourceDir, { recursive: true, force: true });
  });

  it("offers the server's folder, and reports a fetch that finds nothing there", async () => {
    const { page } = session;
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
