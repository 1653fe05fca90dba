import type { RunRecord } from '@metaspo/schemas';
import type { Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import { runToEnd, smallConfig, startPlatform, type TestPlatform } from './support/platform.js';

/** The script files a page asks for, by file name (`index-abc123.js`), in request order. */
function watchScripts(page: Page): string[] {
  const scripts: string[] = [];
  page.on('request', (request) => {
    if (request.resourceType() === 'script')
      scripts.push(new URL(request.url()).pathname.split('/').pop() ?? '');
  });
  return scripts;
}

const mainNav = (page: Page) => page.getByRole('navigation', { name: 'Main' });

/**
 * The router (TanStack Router on hash history): addresses it cannot match or decode show the
 * not-found page inside the app, which stays usable, and each page's code arrives with its route.
 */
describe('routing in chromium', () => {
  const session = useBrowser({ failOnPageErrors: true });
  let platform: TestPlatform;
  let run: RunRecord;

  beforeAll(async () => {
    platform = await startPlatform();
    run = await runToEnd(platform.client, 'routed run', smallConfig({ iterations: 1, trainSize: 8 }));
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('shows the not-found page for a malformed escape in the hash, and the app stays navigable', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/runs/%E0`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    expect(await page.title()).toBe('Not found · MetaSPO');
    await mainNav(page).getByRole('link', { name: 'Runs' }).click();
    await page.getByRole('heading', { name: 'Runs', exact: true }).waitFor();
    await page.locator(`tr[data-run-id="${run.id}"]`).waitFor();
    expect(await page.getByRole('heading', { name: 'Not found' }).count()).toBe(0);
    expect(await mainNav(page).getByRole('link', { name: 'Runs' }).getAttribute('aria-current')).toBe('page');
  });

  it('shows the not-found page for an address no route has, with a way back', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/no-such-page/at-all`);
    await page.getByRole('heading', { name: 'Not found' }).waitFor();
    await page.getByRole('link', { name: 'Go to the overview' }).click();
    await page.getByRole('heading', { name: 'Recent runs' }).waitFor();
    expect(await page.evaluate(() => window.location.hash)).toBe('#/');
  });

  it('opens the addresses the hand-written router took: no leading slash, a trailing slash', async () => {
    const { page } = session;
    for (const hash of ['#runs', '#/runs/']) {
      await page.goto(`${platform.url}/${hash}`);
      await page.locator(`tr[data-run-id="${run.id}"]`).waitFor();
    }
    await page.goto(`${platform.url}/#runs/${run.id}`);
    await page.getByRole('heading', { name: 'Optimized system prompt' }).waitFor();
    expect(await page.title()).toBe(`Run ${run.id} · MetaSPO`);
  });

  it('ignores a search value it cannot use instead of failing the page', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/runs?status=no-such-status`);
    await page.locator(`tr[data-run-id="${run.id}"]`).waitFor();
    expect(await page.getByLabel('Status').inputValue()).toBe('');
  });

  it("loads a page's code when the route is first visited, charts only with a page that draws one", async () => {
    const { page } = session;
    const scripts = watchScripts(page);
    await page.goto(`${platform.url}/#/runs`);
    const link = page.locator(`tr[data-run-id="${run.id}"]`).getByRole('link', { name: 'routed run' });
    await link.waitFor();
    const before = [...scripts];
    expect(before.some((name) => name.startsWith('Runs-'))).toBe(true);
    expect(before.some((name) => name.startsWith('RunDetail-'))).toBe(false);
    expect(before.some((name) => name.startsWith('ScoreChart-'))).toBe(false);
    await link.click();
    await page.getByRole('heading', { name: 'Optimized system prompt' }).waitFor();
    await page.locator('figure.chart .recharts-surface').first().waitFor();
    const after = scripts.slice(before.length);
    expect(after.some((name) => name.startsWith('RunDetail-'))).toBe(true);
    expect(after.some((name) => name.startsWith('ScoreChart-'))).toBe(true);
    expect(await page.title()).toBe(`Run ${run.id} · MetaSPO`);
  });

  it("shows the error page, inside the app, when a page's code cannot be loaded, and retries", async () => {
    const { page } = session;
    await page.route(/\/assets\/Models-[^/]+\.js$/, (route) => route.abort('connectionrefused'));
    await page.goto(`${platform.url}/#/models`);
    await page.getByRole('heading', { name: 'This page failed' }).waitFor({ timeout: 20_000 });
    expect(await mainNav(page).getByRole('link', { name: 'Models' }).getAttribute('aria-current')).toBe(
      'page',
    );
    await page.unroute(/\/assets\/Models-[^/]+\.js$/);
    await page.getByRole('button', { name: 'Try again' }).click();
    await page.getByRole('heading', { name: 'Models', exact: true }).waitFor({ timeout: 20_000 });
    await mainNav(page).getByRole('link', { name: 'Datasets' }).click();
    await page.getByRole('heading', { name: 'Datasets', exact: true }).waitFor();
  });
});
