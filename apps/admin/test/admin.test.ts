import type { RunRecord } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, useBrowser } from './support/browser.js';
import { openedRunId, progressValue } from './support/pages.js';
import {
  rateLimitedSim,
  runToEnd,
  smallConfig,
  startPlatform,
  type TestPlatform,
  waitForRunEnd,
} from './support/platform.js';

const SCRIPT_PROMPT =
  'You are a careful assistant. <script>window.__metaspoPwned = true</script><img src=x onerror="window.__metaspoPwned = true">';

/**
 * Each test opens its own page and sets up the data it reads beyond the two finished runs of
 * `beforeAll`; tests that stop a server start their own, so any order (or any one test) passes.
 */
describe('admin app in chromium against a real server', () => {
  const session = useBrowser();
  let platform: TestPlatform;
  let finished: RunRecord;
  /** A second completed run with another config, so the compare page has rows that differ. */
  let other: RunRecord;

  beforeAll(async () => {
    platform = await startPlatform();
    [finished, other] = await Promise.all([
      runToEnd(
        platform.client,
        'finished simulated run',
        smallConfig({ initialSystemPrompt: SCRIPT_PROMPT }),
      ),
      runToEnd(platform.client, 'other simulated run', smallConfig({ iterations: 1, trainSize: 8 })),
    ]);
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('finished the simulator-backed run it shows', () => {
    expect(finished.status).toBe('completed');
    expect(finished.simulated).toBe(true);
    expect(finished.result?.optimizedSystemPrompt.length).toBeGreaterThan(0);
    expect(other.status).toBe('completed');
  });

  it('lists the run on the runs page, labelled simulated', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/runs`);
    const row = page.locator(`tr[data-run-id="${finished.id}"]`);
    await row.waitFor();
    expect(await row.textContent()).toContain('finished simulated run');
    expect(await row.textContent()).toContain('completed');
    expect(await row.locator('.tag-simulated').count()).toBe(1);
    await screenshot(page, 'runs');
  });

  it('shows the chart and the optimized prompt on the run page', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/runs/${finished.id}`);
    await page.getByRole('heading', { name: 'Optimized system prompt' }).waitFor();
    const prompt = page.getByLabel('Best system prompt');
    expect(await prompt.textContent()).toBe(finished.result?.optimizedSystemPrompt);
    const chart = page.locator('figure.chart .recharts-surface');
    await chart.first().waitFor();
    // One line for the mean and one per task, each with a drawn path.
    expect(await page.locator('figure.chart .recharts-line-curve').count()).toBe(1 + 3);
    expect(await page.locator('.lineage').count()).toBe(3);
    await screenshot(page, 'run-detail');
  });

  it('renders a prompt containing <script> as text, and nothing runs', async () => {
    const { page, seen } = session;
    await page.goto(`${platform.url}/#/runs/${finished.id}`);
    const config = page.locator('details', { hasText: 'Config' });
    await config.locator('summary').click();
    const configText = await config.getByLabel('Run config').textContent();
    expect(configText).toContain('<script>window.__metaspoPwned = true</script>');
    expect(await page.locator('main script, main img').count()).toBe(0);
    expect(
      await page.evaluate(() => (window as { __metaspoPwned?: boolean }).__metaspoPwned),
    ).toBeUndefined();
    expect(seen.dialogs).toEqual([]);
  });

  it('advances live progress while a run is going, then cancels it', async () => {
    const { page } = session;
    // The in-process simulator finishes a small run in well under a second: this server rate-limits
    // it (a burst of 300 calls, then 5 a second) so the page can watch the run move.
    const slowServer = await startPlatform({ config: rateLimitedSim(300) });
    try {
      const live = await slowServer.client.optimizer.runs.create.mutate({
        config: smallConfig(),
        name: 'live run',
      });
      await page.goto(`${slowServer.url}/#/runs/${live.id}`);
      await page.getByText('Not started.').waitFor();
      await slowServer.client.optimizer.runs.start.mutate({ id: live.id });
      await page.locator('[data-testid="run-progress"] progress').waitFor({ timeout: 20_000 });
      const first = await progressValue(page, 'run-progress');
      await expect
        .poll(() => progressValue(page, 'run-progress'), { timeout: 20_000 })
        .toBeGreaterThan(first);
      expect(await page.getByText('Live updates: connected').count()).toBe(1);
      await screenshot(page, 'run-live');
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.locator('h1 .status-cancelled').waitFor({ timeout: 20_000 });
      expect((await slowServer.client.optimizer.runs.get.query({ id: live.id })).status).toBe('cancelled');
    } finally {
      await slowServer.close();
    }
  });

  it('creates and starts a run from the form', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/runs/new`);
    await page.getByLabel('Name').fill('from the form');
    await page.getByLabel('Meta-train tasks').fill('proc_navigation, proc_tracking_swaps');
    await page.getByLabel('Iterations').fill('1');
    await page.getByLabel('System candidates').fill('2');
    await page.getByLabel('User candidates').fill('2');
    await page.getByLabel('User top-k').fill('2');
    await page.getByLabel('Train examples per task').fill('8');
    await page.getByLabel('Test examples per task').fill('10');
    await screenshot(page, 'run-new-form');
    await page.getByRole('button', { name: 'Create run' }).click();
    const id = await openedRunId(page);
    const run = await platform.client.optimizer.runs.get.query({ id });
    expect(run.name).toBe('from the form');
    expect(run.config.metaTrainTasks).toEqual(['proc_navigation', 'proc_tracking_swaps']);
    expect(run.status).not.toBe('created');
    const ended = await waitForRunEnd(platform.client, id);
    expect(ended.status).toBe('completed');
  });

  it('shows the field error of an invalid YAML config as it is typed', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/runs/new`);
    await page.getByRole('tab', { name: 'YAML' }).click();
    await page
      .getByLabel('Run config (YAML)')
      .fill('metaTrainTasks: [proc_navigation]\ntrainSize: zero\niterations: 2\n');
    const issue = page.locator('#config-yaml-issues li', { hasText: 'trainSize' });
    await issue.waitFor();
    expect(await issue.getAttribute('data-line')).toBe('2');
    expect(await issue.textContent()).toContain('line 2');
    expect(await page.getByRole('button', { name: 'Create run' }).isDisabled()).toBe(true);
    await screenshot(page, 'run-new-yaml-error');
    await page.getByLabel('Run config (YAML)').fill('metaTrainTasks: [proc_navigation]\ntrainSize: 8\n');
    await page.getByText('The config is valid.').waitFor();
  });

  it('renders the other pages with their data', async () => {
    const { page, seen } = session;
    await page.goto(`${platform.url}/#/`);
    await page.getByRole('heading', { name: 'Recent runs' }).waitFor();
    await page.getByRole('link', { name: 'finished simulated run' }).first().waitFor();
    await screenshot(page, 'overview');
    await page.goto(`${platform.url}/#/datasets`);
    await page.getByRole('heading', { name: /procedural/ }).waitFor();
    await page.getByLabel('Task', { exact: true }).selectOption('proc_navigation');
    await page.getByText('1–20 of 200').waitFor();
    expect(await page.locator('ol.examples > li').count()).toBe(20);
    await screenshot(page, 'datasets');
    // The registry searches every example, so a miss reports a total of zero, not a filtered page.
    await page.getByLabel('Search examples').fill('no-such-text-anywhere');
    await page.getByText('No example matches the search.').waitFor();
    expect(await page.locator('ol.examples > li').count()).toBe(0);
    await page.goto(`${platform.url}/#/models`);
    await page.getByText('sim', { exact: true }).first().waitFor();
    await screenshot(page, 'models');
    const runs = [finished, other];
    await page.goto(`${platform.url}/#/compare?ids=${runs.map((r) => r.id).join(',')}`);
    await page.getByRole('row', { name: /final score/ }).waitFor();
    // Each run's column appears when its own query resolves: wait for all of them.
    await expect.poll(() => page.locator('.compare-table thead th').count()).toBe(1 + runs.length);
    expect(await page.locator('.compare-table tr.differs').count()).toBeGreaterThan(0);
    await screenshot(page, 'compare');
    const metaTest = await platform.client.optimizer.metaTests.start.mutate({
      kind: 'unseen',
      runId: finished.id,
      tasks: ['proc_object_counting', 'proc_boolean_expressions'],
      unseenUserPrompts: 2,
      testSize: 10,
    });
    await page.goto(`${platform.url}/#/meta-test?run=${finished.id}&id=${metaTest.id}`);
    await page.locator('.unseen-table').waitFor({ timeout: 30_000 });
    // One best cell per task row, per domain average and overall.
    expect(await page.locator('.unseen-table td.best-cell').count()).toBe(2 + 1 + 1);
    await screenshot(page, 'meta-test');
    await page.setViewportSize({ width: 390, height: 800 });
    await page.goto(`${platform.url}/#/runs/${finished.id}`);
    await page.getByRole('heading', { name: 'Optimized system prompt' }).waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    expect(overflow).toBeLessThanOrEqual(0);
    await screenshot(page, 'run-detail-narrow');
    await page.setViewportSize({ width: 1280, height: 800 });
    expect(seen.errors).toEqual([]);
  });

  it('resumes a meta-test that stopped with its server', async () => {
    const { page } = session;
    // Rate-limited (a burst of 60 calls, then 1 a second), the meta-test (about 250 calls) is
    // still running when the server stops; a server on the same data shows it cancelled.
    const slowServer = await startPlatform({ config: rateLimitedSim(60) });
    const started = await slowServer.client.optimizer.metaTests.start.mutate({
      kind: 'unseen',
      systemPrompts: [{ label: 'plain', prompt: 'You are a helpful assistant.' }],
      tasks: ['proc_object_counting', 'proc_boolean_expressions'],
      unseenUserPrompts: 2,
      testSize: 40,
    });
    await expect
      .poll(async () => (await slowServer.client.llm.usage.query({ runId: started.id })).totals.calls, {
        timeout: 20_000,
      })
      .toBeGreaterThanOrEqual(60);
    await slowServer.stopServer();
    const restarted = await startPlatform({ dataDir: slowServer.dataDir });
    try {
      await page.goto(`${restarted.url}/#/meta-test?id=${started.id}`);
      const resume = page.getByRole('button', { name: 'Resume' });
      await resume.waitFor({ timeout: 20_000 });
      await page.locator('.status-cancelled').first().waitFor();
      await resume.click();
      await page.locator('.unseen-table').waitFor({ timeout: 30_000 });
      const record = await restarted.client.optimizer.metaTests.get.query({ id: started.id });
      expect(record.status).toBe('completed');
      const usage = (await restarted.client.llm.usage.query({ runId: started.id })).totals;
      // What the stopped server had answered came back from the cache.
      expect(usage.cachedCalls).toBeGreaterThanOrEqual(60);
      expect(await resume.count()).toBe(0);
      await screenshot(page, 'meta-test-resumed');
    } finally {
      await restarted.close();
    }
  });

  it('shows a banner, not a blank page, when the server stops', async () => {
    const { page } = session;
    // A server of its own: stopping the shared one would break every test that runs after.
    const stopping = await startPlatform();
    try {
      const listed = await runToEnd(
        stopping.client,
        'listed before the stop',
        smallConfig({ iterations: 1 }),
      );
      await page.goto(`${stopping.url}/#/runs`);
      await page.locator(`tr[data-run-id="${listed.id}"]`).waitFor();
      await stopping.stopServer();
      const banner = page.getByRole('alert').filter({ hasText: 'server is unreachable' });
      await banner.waitFor({ timeout: 20_000 });
      expect(await page.locator(`tr[data-run-id="${listed.id}"]`).count()).toBe(1);
      await screenshot(page, 'server-down');
    } finally {
      await stopping.close();
    }
  });
});
