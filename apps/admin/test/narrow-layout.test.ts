import type { RunRecord } from '@metaspo/schemas';
import type { Locator, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, useBrowser } from './support/browser.js';
import {
  runToEnd,
  smallConfig,
  startPlatform,
  type TestPlatform,
  waitForMetaTestEnd,
} from './support/platform.js';

const WIDTH = 390;

/** The element's box lies inside the viewport's width, and it has a size (it is drawn). */
async function expectOnScreen(locator: Locator) {
  await locator.scrollIntoViewIfNeeded();
  const box = await locator.boundingBox();
  expect(box).not.toBeNull();
  if (!box) return;
  expect(box.width).toBeGreaterThan(0);
  expect(box.x).toBeGreaterThanOrEqual(0);
  expect(box.x + box.width).toBeLessThanOrEqual(WIDTH);
}

/** The page does not scroll sideways. */
async function expectNoSidewaysScroll(page: Page) {
  expect(
    await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
  ).toBeLessThanOrEqual(0);
}

/** At phone width (390 px) each page keeps its key column on screen; each test opens its own page. */
describe('narrow layout (390 px) in chromium', () => {
  const session = useBrowser({ viewport: { width: WIDTH, height: 800 }, failOnPageErrors: true });
  let platform: TestPlatform;
  let run: RunRecord;
  let metaTestId: string;

  beforeAll(async () => {
    platform = await startPlatform();
    run = await runToEnd(platform.client, 'narrow run', smallConfig({ iterations: 1, trainSize: 8 }));
    const metaTest = await platform.client.optimizer.metaTests.start.mutate({
      kind: 'unseen',
      runId: run.id,
      tasks: ['proc_object_counting', 'proc_boolean_expressions'],
      unseenUserPrompts: 2,
      testSize: 10,
    });
    metaTestId = metaTest.id;
    // Finished before any test: a meta-test still computing would slow whichever page came first.
    await waitForMetaTestEnd(platform.client, metaTestId);
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('shows a run card with its Score and Cost on the Runs page', async () => {
    const { page } = session;
    expect(run.status).toBe('completed');
    await page.goto(`${platform.url}/#/runs`);
    const row = page.locator(`tr[data-run-id="${run.id}"]`);
    await row.waitFor();
    const score = row.locator('td[data-label="Score"]');
    expect(await score.textContent()).toMatch(/\d+\.\d%/);
    await expectOnScreen(score);
    await expectOnScreen(row.locator('td[data-label="Cost"]'));
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'narrow-runs');
  });

  it("shows the optimized prompt's unseen-task scores on the Meta-test page", async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/meta-test?run=${run.id}&id=${metaTestId}`);
    const table = page.locator('.unseen-table');
    await table.waitFor({ timeout: 30_000 });
    const cells = table.locator('td[data-label="optimized"]');
    // Two task rows, one domain average, the overall mean.
    expect(await cells.count()).toBe(2 + 1 + 1);
    for (const cell of await cells.all()) await expectOnScreen(cell);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'narrow-meta-test');
  });

  it('shows each task with its counts on the Datasets page, no blank bands', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/datasets`);
    const section = page.getByRole('region', { name: 'Domain procedural' });
    await section.waitFor();
    const row = section.locator('tr', { hasText: 'proc_navigation' });
    const counts = row.locator('td[data-label="Train / test"]');
    await expectOnScreen(row.locator('td[data-label="Task"]'));
    await expectOnScreen(counts);
    expect((await counts.textContent())?.trim().length).toBeGreaterThan(0);
    // A card is as tall as its text: no cell of it is an empty band.
    const rowBox = await row.boundingBox();
    const textHeight = await row.evaluate((tr) =>
      [...tr.querySelectorAll('td')].reduce((sum, td) => sum + td.getBoundingClientRect().height, 0),
    );
    expect(rowBox?.height ?? 0).toBeLessThan(textHeight + 40);
    for (const td of await row.locator('td').all())
      expect((await td.boundingBox())?.height ?? 0).toBeLessThan(80);
    await expectNoSidewaysScroll(page);
    await screenshot(page, 'narrow-datasets');
  });
});
