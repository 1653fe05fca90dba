import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { screenshot, useBrowser } from './support/browser.js';
import { startPlatform, type TestPlatform } from './support/platform.js';

/** The new-run page's YAML editor and form: no run is started, so the tests share one server. */
describe('run config editor in chromium', () => {
  const session = useBrowser({ failOnPageErrors: true });
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  }, 240_000);

  beforeEach(async () => {
    await session.page.goto(`${platform.url}/#/runs/new`);
  });

  afterAll(async () => {
    await platform?.close();
  });

  const yamlBox = () => session.page.getByLabel('Run config (YAML)');

  it('numbers every gutter line, consecutive error lines included, and lists issues by line', async () => {
    const { page } = session;
    await page.getByRole('tab', { name: 'YAML' }).click();
    await yamlBox().fill(
      [
        'metaTrainTasks: procedural',
        'iterations: 2',
        'numSystemCandidates: 3',
        'numUserCandidates: 2',
        'userTopK: 2',
        'seed: x',
        'testSize: zero',
        'trainSize: -1',
        'baseModel: sim:default',
      ].join('\n'),
    );
    const items = page.locator('#config-yaml-issues li');
    await expect.poll(() => items.count()).toBe(3);
    expect(await items.evaluateAll((els) => els.map((el) => el.getAttribute('data-line')))).toEqual([
      '6',
      '7',
      '8',
    ]);
    expect(await items.nth(2).textContent()).toContain('trainSize must be a positive number');
    expect(await items.nth(2).textContent()).not.toContain('must be a number');

    const gutter = page.getByTestId('yaml-gutter').locator('span');
    expect(await gutter.allTextContents()).toEqual(['1', '2', '3', '4', '5', '6', '7', '8', '9']);
    const boxes = await gutter.evaluateAll((els) =>
      els.map((el) => {
        const box = el.getBoundingClientRect();
        return { top: box.top, height: box.height, bad: el.classList.contains('bad-line') };
      }),
    );
    expect(boxes.map((b) => b.bad)).toEqual([false, false, false, false, false, true, true, true, false]);
    // One row per line: each number sits exactly one line below the one before.
    const lineHeight = boxes[0]?.height ?? 0;
    expect(lineHeight).toBeGreaterThan(0);
    for (let i = 1; i < boxes.length; i += 1) {
      expect((boxes[i]?.top ?? 0) - (boxes[i - 1]?.top ?? 0)).toBeCloseTo(lineHeight, 0);
    }
    expect(await page.getByRole('button', { name: 'Create run' }).isDisabled()).toBe(true);
    await screenshot(page, 'run-new-yaml-gutter');
  });

  it('reports a syntax error once, with its line', async () => {
    const { page } = session;
    await page.getByRole('tab', { name: 'YAML' }).click();
    await yamlBox().fill('metaTrainTasks: procedural\niterations: [2\n');
    const items = page.locator('#config-yaml-issues li');
    await items.first().waitFor();
    // The server's check answers too; its copy of the same error must not be listed again.
    await page.waitForTimeout(1_000);
    expect(await items.count()).toBe(1);
    expect(await items.first().getAttribute('data-line')).not.toBeNull();
  });

  it('keeps what was typed when switching between the form and YAML', async () => {
    const { page } = session;
    await page.getByLabel('Name').fill('typed in the form');
    await page.getByLabel('Iterations').fill('2');
    await page.getByRole('tab', { name: 'YAML' }).click();
    const text = await yamlBox().inputValue();
    expect(text).toContain('name: typed in the form');
    expect(text).toContain('iterations: 2');
    await yamlBox().fill(`${text.replace('iterations: 2', 'iterations: 4')}# a comment the form keeps\n`);
    await page.getByRole('tab', { name: 'Form' }).click();
    expect(await page.getByLabel('Iterations').inputValue()).toBe('4');
    expect(await page.getByLabel('Name').inputValue()).toBe('typed in the form');
    await page.getByLabel('Seed').fill('7');
    await page.getByRole('tab', { name: 'YAML' }).click();
    const after = await yamlBox().inputValue();
    expect(after).toContain('seed: 7');
    expect(after).toContain('# a comment the form keeps');
  });

  it('shows the server preflight issues of the form under their fields', async () => {
    const { page } = session;
    await page.getByLabel('Meta-train tasks').fill('proc_navigation, no_such_task');
    const error = page.locator('#field-metaTrainTasks-error');
    await error.waitFor({ timeout: 10_000 });
    expect(await error.textContent()).toContain('no_such_task');
    expect(await page.getByRole('button', { name: 'Create run' }).isDisabled()).toBe(true);
    await page.getByLabel('Meta-train tasks').fill('proc_navigation');
    await page.getByText('The config is valid.').waitFor();
    expect(await error.count()).toBe(0);
    expect(await page.getByRole('button', { name: 'Create run' }).isDisabled()).toBe(false);
  });

  it('marks the line of a server preflight issue in the YAML editor, with what to do', async () => {
    const { page } = session;
    await page.getByRole('tab', { name: 'YAML' }).click();
    await yamlBox().fill('metaTrainTasks: procedural\niterations: 1\nbaseModel: openai:gpt-4o-mini\n');
    const issue = page.locator('#config-yaml-issues li', { hasText: 'baseModel' });
    await issue.waitFor({ timeout: 10_000 });
    expect(await issue.getAttribute('data-line')).toBe('3');
    // The variable to set is named; the test server has no key, and no key is ever shown.
    expect(await issue.textContent()).toContain('OPENAI_API_KEY');
    expect(await page.getByTestId('yaml-gutter').locator('span.bad-line').allTextContents()).toEqual(['3']);
    expect(await page.getByText('The config is valid.').count()).toBe(0);
  });
});
