import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, useBrowser } from './support/browser.js';
import { openedMetaTestId, progressValue } from './support/pages.js';
import { rateLimitedSim, startPlatform, type TestPlatform } from './support/platform.js';

const CHOSEN = ['proc_object_counting', 'proc_boolean_expressions'];

/**
 * A meta-test started, watched and cancelled from the page. `slow` rate-limits the simulator (a
 * burst of 300 calls, then 5 a second) so the meta-test is still running while the page watches
 * it; only that test uses it, so its burst is whole whatever ran before. Each test opens its own
 * page and makes its own meta-test.
 */
describe('meta-test page in chromium', () => {
  const session = useBrowser();
  let slow: TestPlatform;
  let fast: TestPlatform;

  beforeAll(async () => {
    [slow, fast] = await Promise.all([startPlatform({ config: rateLimitedSim(300) }), startPlatform()]);
  }, 240_000);

  afterAll(async () => {
    await slow?.close();
    await fast?.close();
  });

  it('starts a meta-test on chosen tasks, shows its progress, and cancels it', async () => {
    const { page, seen } = session;
    await page.goto(`${slow.url}/#/meta-test`);
    const form = page.getByRole('form', { name: 'Start a meta-test' });
    await form.getByLabel('Tasks', { exact: true }).selectOption('tasks');
    for (const task of CHOSEN) await form.getByRole('checkbox', { name: new RegExp(`^${task} `) }).check();
    await form.getByLabel('User prompts per task').fill('2');
    await form.getByLabel('Test examples per task').fill('40');
    await form.getByLabel('Scoring').selectOption('lenient');
    await form.getByRole('button', { name: 'Add a system prompt' }).click();
    await form.getByLabel('Label 1').fill('terse');
    await form.getByLabel('System prompt 1').fill('Answer in as few words as you can.');
    await screenshot(page, 'meta-test-start-form');
    const start = form.getByRole('button', { name: 'Start meta-test' });
    await start.click();

    // The page moves to the new meta-test once the server answered; the button is usable again.
    const id = await openedMetaTestId(page);
    await expect.poll(() => start.textContent()).toBe('Start meta-test');
    const started = await slow.client.optimizer.metaTests.get.query({ id });
    expect(started.taskIds).toEqual(CHOSEN);
    expect(started.scoring).toBe('lenient');
    expect(started.systemPrompts.map((p) => p.label)).toContain('terse');

    const bar = page.locator('[data-testid="meta-test-progress"] progress');
    await bar.waitFor({ timeout: 20_000 });
    const planned = Number(await bar.getAttribute('max'));
    // At least 2 tasks x (3 fixed + 1 given) system prompts x 2 user prompts x 40 examples.
    expect(planned).toBeGreaterThanOrEqual(2 * 4 * 2 * 40);
    const first = await progressValue(page, 'meta-test-progress');
    await expect
      .poll(() => progressValue(page, 'meta-test-progress'), { timeout: 20_000 })
      .toBeGreaterThan(first);
    await screenshot(page, 'meta-test-running');

    await page.getByRole('button', { name: 'Cancel meta-test' }).click();
    await page.locator('h2 .status-cancelled').waitFor({ timeout: 20_000 });
    expect((await slow.client.optimizer.metaTests.get.query({ id })).status).toBe('cancelled');
    expect(await page.getByRole('button', { name: 'Resume' }).count()).toBe(1);
    expect(seen.errors).toEqual([]);
  });

  it('keeps Start disabled until a task is chosen, and sends the chosen domain', async () => {
    const { page } = session;
    await page.goto(`${fast.url}/#/meta-test`);
    const form = page.getByRole('form', { name: 'Start a meta-test' });
    const start = form.getByRole('button', { name: 'Start meta-test' });
    await form.getByLabel('Tasks', { exact: true }).selectOption('tasks');
    expect(await start.isDisabled()).toBe(true);
    await form.getByLabel('Tasks', { exact: true }).selectOption('domain');
    expect(await start.isDisabled()).toBe(true);
    await form.getByLabel('Domain').selectOption('procedural');
    await form.getByLabel('User prompts per task').fill('1');
    await form.getByLabel('Test examples per task').fill('40');
    expect(await start.isDisabled()).toBe(false);
    await start.click();
    const id = await openedMetaTestId(page);
    const record = await fast.client.optimizer.metaTests.get.query({ id });
    expect(record.taskIds.length).toBeGreaterThan(0);
    expect(record.taskIds.every((t) => t.startsWith('proc_'))).toBe(true);
  });
});
