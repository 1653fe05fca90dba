import fs from 'node:fs';
import path from 'node:path';
import type { ExperimentRecord } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { EXPERIMENT_TEMPLATE } from '../src/lib/experiment-template.js';
import { durationText, planCostText } from '../src/lib/experiment-view.js';
import { ADMIN_ROOT } from './support/admin-build.js';
import { screenshot, useBrowser } from './support/browser.js';
import { progressValue } from './support/pages.js';
import { rateLimitedSim, startPlatform, type TestPlatform } from './support/platform.js';

const SHARED_DATASETS =
  process.env.METASPO_SHARED_DATASETS ?? path.resolve(ADMIN_ROOT, '../../../shared/datasets');
const METHODS = ['default', 'chain-of-thought', 'service', 'sprig', 'outer-loop', 'metaspo', 'metaspo-ape'];
/** "41.7% [30.0, 53.3]": a mean with its 95% interval, in percent. */
const INTERVAL = /^(\d+\.\d)% \[(\d+\.\d), (\d+\.\d)\]/;

/**
 * The template on OpenAI models (the gateway's built-in prices) with `execution: batch`: the
 * base model's evaluations go through the batch API at half the live price.
 */
const BATCH_TEMPLATE = EXPERIMENT_TEMPLATE.replace('baseModel: sim:default', 'baseModel: openai:gpt-4o-mini')
  .replace('optimizerModel: sim:default', 'optimizerModel: openai:gpt-4o\nexecution: batch')
  .replace('latencySeconds: 0.05', 'latencySeconds: 0.05\n  batchTurnaroundMinutes: 30');

/** SPRIG's component corpus (the `navigate` entry) read from the local copy of the datasets. */
async function fetchCorpus(platform: TestPlatform): Promise<void> {
  await platform.client.datasets.fetch.mutate({ taskIds: ['navigate'], from: SHARED_DATASETS });
}

/**
 * The Experiments page driven in chromium on configs/paper-sim.yaml's shape (the view's own
 * template): the plan before the start button, a run to its report (table with intervals,
 * paired comparison, adaptation chart, planned against actual) and its export; and, on a
 * rate-limited simulator, live progress with cancel and resume. Each test starts its own
 * experiment on its own server, so they pass in any order.
 */
describe('experiments page in chromium', () => {
  const session = useBrowser({
    viewport: { width: 1280, height: 900 },
    acceptDownloads: true,
    failOnPageErrors: true,
  });
  let fast: TestPlatform;
  let slow: TestPlatform;
  let openai: TestPlatform;

  beforeAll(async () => {
    [fast, slow, openai] = await Promise.all([
      startPlatform(),
      // A burst of 300 requests, then 5 a second: the experiment is still running while the page watches.
      startPlatform({ config: rateLimitedSim(300) }),
      // A key makes the gateway's OpenAI batch API available; planning sends nothing to that port.
      startPlatform({ env: { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' } }),
    ]);
    await Promise.all([fetchCorpus(fast), fetchCorpus(slow)]);
  }, 240_000);

  afterAll(async () => {
    await fast?.close();
    await slow?.close();
    await openai?.close();
  });

  const download = async (name: string): Promise<string> => {
    const { page } = session;
    const [file] = await Promise.all([
      page.waitForEvent('download'),
      page.getByRole('link', { name, exact: true }).click(),
    ]);
    expect(file.suggestedFilename()).toBe(name);
    return fs.readFileSync(await file.path(), 'utf8');
  };

  it('plans before it offers Start, runs to a report with intervals and a chart, and exports it', async () => {
    const { page } = session;
    await page.goto(`${fast.url}/#/`);
    await page.getByRole('navigation', { name: 'Main' }).getByRole('link', { name: 'Experiments' }).click();
    await page.getByRole('link', { name: 'New experiment' }).click();
    const editor = page.getByLabel('Experiment config (YAML)');
    await expect.poll(() => editor.inputValue()).toBe(EXPERIMENT_TEMPLATE);

    // A bad field is named with its line, and nothing can be planned or started.
    await editor.fill(EXPERIMENT_TEMPLATE.replace('concurrency: 32', 'concurrency: lots'));
    const issue = page.locator('#experiment-yaml-issues li.field-error').first();
    await expect.poll(() => issue.textContent(), { timeout: 10_000 }).toMatch(/^line 15: .*concurrency/);
    expect(await page.getByRole('button', { name: 'Plan' }).isDisabled()).toBe(true);

    await editor.fill(EXPERIMENT_TEMPLATE);
    await page.getByText('The config is valid').waitFor({ timeout: 10_000 });
    const startButton = page.getByRole('button', { name: 'Start experiment' });
    expect(await startButton.count()).toBe(0);
    await page.getByRole('button', { name: 'Plan' }).click();

    const plan = page.getByTestId('experiment-plan');
    await plan.waitFor({ timeout: 20_000 });
    const expected = await fast.client.optimizer.experiments.plan.query({ config: EXPERIMENT_TEMPLATE });
    expect(await page.getByTestId('plan-requests').textContent()).toContain(
      expected.totals.requests.toLocaleString('en-US'),
    );
    expect(await page.getByTestId('plan-cost').textContent()).toBe('$0');
    // One row per model and phase: the simulator plays both models, so every phase of the grid is there.
    const phases = await plan
      .locator('tbody tr')
      .evaluateAll((rows) => rows.map((r) => r.getAttribute('data-phase')));
    expect(phases).toEqual(['meta-train', 'meta-train-test', 'unseen', 'adapt']);
    const requestCells = await plan.locator('tbody tr td:nth-child(3)').allTextContents();
    const rowSum = requestCells.reduce((sum, text) => sum + Number(text.replace(/\D/g, '')), 0);
    expect(rowSum).toBe(expected.totals.requests);
    if (expected.rows.some((r) => r.bound === 'upper')) {
      expect(await plan.getByText('upper bound', { exact: true }).count()).toBeGreaterThan(0);
    }
    expect(await plan.locator('.tag-simulated').count()).toBeGreaterThan(0);
    // A live plan says nothing of batches.
    expect(await plan.getByTestId('plan-saved').count()).toBe(0);
    expect(await plan.getByTestId('plan-batch-wait').count()).toBe(0);
    expect(await plan.locator('.plan-batch-table').count()).toBe(0);
    expect(await plan.locator('tbody tr[data-execution="batch"]').count()).toBe(0);
    await screenshot(page, 'experiment-plan');

    // Editing the text takes the Start button away until the new text is planned.
    await editor.fill(`${EXPERIMENT_TEMPLATE}# edited\n`);
    await page.getByText('The config changed since this plan').waitFor();
    expect(await startButton.count()).toBe(0);
    await editor.fill(EXPERIMENT_TEMPLATE);
    await page.getByRole('button', { name: 'Plan' }).click();
    await startButton.click();

    await page.waitForFunction(
      () => /#\/experiments\/[^/]+$/.test(window.location.hash) && !window.location.hash.endsWith('/new'),
    );
    const id = decodeURIComponent(page.url().split('#/experiments/')[1] ?? '');
    await expect
      .poll(() => page.getByTestId('experiment-status').textContent(), { timeout: 60_000 })
      .toBe('completed');
    const record = await fast.client.optimizer.experiments.get.query({ id });
    expect(record.plan.totals.requests).toBe(expected.totals.requests);

    // Unseen generalization: every cell a mean inside its interval, the best of each row marked.
    const unseen = page.locator('.unseen-table');
    await unseen.waitFor({ timeout: 20_000 });
    const report = await fast.client.optimizer.experiments.report.query({ id });
    const rows = unseen.locator('tbody tr');
    expect(await rows.count()).toBe(report.unseen?.length);
    expect(await rows.evaluateAll((trs) => trs.map((tr) => tr.getAttribute('data-row-kind')))).toEqual(
      report.unseen?.map((r) => r.kind),
    );
    for (const text of await unseen.locator('tbody td').allTextContents()) {
      const match = INTERVAL.exec(text);
      expect(match, text).not.toBeNull();
      const [mean, low, high] = [match?.[1], match?.[2], match?.[3]].map(Number);
      expect(low).toBeLessThanOrEqual(mean ?? Number.NaN);
      expect(mean).toBeLessThanOrEqual(high ?? Number.NaN);
    }
    const overall = unseen.locator('tbody tr[data-row-kind="overall"]');
    const overallRow = report.unseen?.find((r) => r.kind === 'overall');
    expect(
      await overall.locator('td[data-best="true"]').evaluateAll((tds) => tds.map((td) => td.dataset.method)),
    ).toEqual(overallRow?.best);
    const metaspoCell = overallRow?.cells.metaspo;
    expect(await overall.locator('td[data-method="metaspo"]').textContent()).toContain(
      `${((metaspoCell?.estimate ?? 0) * 100).toFixed(1)}%`,
    );
    expect(await page.locator('#unseen-title .tag-simulated').count()).toBe(1);
    expect(await page.locator('#unseen-title .tag-scoring-strict').count()).toBe(1);

    // metaspo against every other method, with the difference's interval.
    const versus = page.locator('.versus-table');
    expect(await versus.locator('thead th').allTextContents()).toEqual([
      'Rows',
      ...METHODS.filter((m) => m !== 'metaspo'),
    ]);
    expect(await versus.locator('tbody tr[data-row-kind="overall"] td').first().textContent()).toMatch(
      /^[+-]\d+\.\d \[[+-]\d+\.\d, [+-]\d+\.\d\]$/,
    );

    // The adaptation chart draws one line per method; the table gives iterations to reach default.
    const chart = page.getByTestId('adapt-chart');
    await expect.poll(() => chart.locator('.recharts-line').count()).toBe(METHODS.length);
    expect(await chart.locator('.tag-simulated').count()).toBe(1);
    expect(await page.locator('.adapt-table tbody tr').count()).toBe(METHODS.length);
    for (const method of METHODS) {
      const reach = report.adapt?.iterationsToReachDefault[method];
      const cells = page.locator(`.adapt-table tbody tr[data-method="${method}"] td`);
      expect(await cells.nth(1).textContent()).toBe(
        reach === null || reach === undefined ? 'never' : reach.toFixed(1),
      );
    }

    // Planned against actual per method and phase.
    const costRows = page.locator('.cost-table tbody tr');
    expect(await costRows.count()).toBe(report.cost.length);
    await screenshot(page, 'experiment-report');
    // Wide tables scroll inside their box; the page itself does not scroll sideways.
    expect(
      await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth),
    ).toBeLessThanOrEqual(0);

    // Export: the server's rendering of each format, as files the browser saves.
    await page.getByRole('button', { name: 'Export md' }).click();
    const markdown = await download('report.md');
    expect(markdown).toMatch(/^# Experiment paper-sim \(simulated\)/);
    expect(markdown).toContain('## Unseen generalization (simulated)');
    expect(await download('unseen.svg')).toMatch(/^<svg/);
    await page.getByRole('button', { name: 'Export csv' }).click();
    const csv = await download('unseen.csv');
    expect(csv.split('\n')[0]).toBe(
      'kind,domain,task,method,mean,low,high,best,metaspo_minus,diff_low,diff_high,simulated',
    );
    expect(csv.trim().split('\n')).toHaveLength(1 + (report.unseen?.length ?? 0) * METHODS.length);
    await page.getByRole('button', { name: 'Export json' }).click();
    const json = JSON.parse(await download('report.json')) as typeof report;
    expect(json.experiment.id).toBe(id);
    expect(json.unseen).toEqual(report.unseen);

    // The list shows it with its short id and progress.
    await page.getByRole('link', { name: 'All experiments' }).click();
    const listed = page.locator(`tr[data-experiment-id="${id}"]`);
    await listed.waitFor();
    expect(await listed.textContent()).toContain(id.slice(0, 12));
    expect(await listed.locator('.status').textContent()).toBe('completed');
  });

  it('shows before Start what batch execution saves against live prices and how long it waits', async () => {
    const { page } = session;
    await page.goto(`${openai.url}/#/experiments/new`);
    const editor = page.getByLabel('Experiment config (YAML)');
    await expect.poll(() => editor.inputValue()).toBe(EXPERIMENT_TEMPLATE);
    await editor.fill(BATCH_TEMPLATE);
    await page.getByText('The config is valid').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Plan' }).click();
    const plan = page.getByTestId('experiment-plan');
    await plan.waitFor({ timeout: 20_000 });

    const expected = await openai.client.optimizer.experiments.plan.query({ config: BATCH_TEMPLATE });
    const saved = expected.totals.savedUsd ?? 0;
    expect(saved).toBeGreaterThan(0);
    expect(expected.totals.batchWaitSeconds).toBeGreaterThan(0);
    expect(await page.getByTestId('plan-cost').textContent()).toBe(planCostText(expected.totals.costUsd));
    expect(await page.getByTestId('plan-saved').textContent()).toBe(
      `${planCostText(saved)} of ${planCostText(expected.totals.liveCostUsd)} at live prices`,
    );
    expect(await page.getByTestId('plan-wall').textContent()).toBe(
      `${durationText(expected.totals.wallSeconds)} (${durationText(expected.totals.batchWaitSeconds)} of it waiting on batches)`,
    );

    // Per model: the base model all through the batch API at half price, the optimizer all live.
    const base = plan.locator('.plan-batch-table tr[data-model="openai:gpt-4o-mini"]');
    const baseModel = expected.models.find((m) => m.model === 'openai:gpt-4o-mini');
    expect(baseModel?.batchRequests).toBe(baseModel?.requests);
    expect(await base.getByTestId('batch-share').textContent()).toBe(
      `${(baseModel?.batchRequests ?? 0).toLocaleString('en-US')} (100%)`,
    );
    expect(await base.getByTestId('batch-saved').textContent()).toBe(
      planCostText(baseModel?.savedUsd ?? null),
    );
    const optimizer = plan.locator('.plan-batch-table tr[data-model="openai:gpt-4o"]');
    expect(await optimizer.getByTestId('batch-share').textContent()).toBe('0 (0%)');
    expect(await optimizer.getByTestId('batch-saved').textContent()).toBe('$0');

    // The phase rows of the base model are marked batch; the optimizer's stay live.
    const marked = await plan
      .locator('.plan-table tbody tr')
      .evaluateAll((rows) =>
        rows.map((r) => [r.getAttribute('data-model'), r.getAttribute('data-execution')]),
      );
    expect(marked.filter(([, execution]) => execution === 'batch').map(([model]) => model)).toEqual(
      expect.arrayContaining(['openai:gpt-4o-mini']),
    );
    expect(marked.filter(([model]) => model === 'openai:gpt-4o').every(([, e]) => e === 'live')).toBe(true);
    expect(await plan.locator('.plan-table .tag-batch').count()).toBe(
      marked.filter(([, execution]) => execution === 'batch').length,
    );
    expect(await page.getByRole('button', { name: 'Start experiment' }).count()).toBe(1);
    await screenshot(page, 'experiment-plan-batch');
  });

  it('shows live progress of a running experiment, cancels it and resumes it', async () => {
    const { page } = session;
    const started: ExperimentRecord = await slow.client.optimizer.experiments.run.mutate({
      config: EXPERIMENT_TEMPLATE.replace('seeds: [42]', 'seeds: [7]'),
    });
    await page.goto(`${slow.url}/#/experiments/${started.id}`);
    const bar = page.locator('[data-testid="experiment-progress"] progress');
    await bar.waitFor({ timeout: 20_000 });
    expect(Number(await bar.getAttribute('max'))).toBe(started.plan.totals.requests);
    const first = await progressValue(page, 'experiment-progress');
    await expect
      .poll(() => progressValue(page, 'experiment-progress'), { timeout: 20_000 })
      .toBeGreaterThan(first);
    await expect
      .poll(() => page.getByTestId('experiment-eta').textContent(), { timeout: 20_000 })
      .toMatch(/\d+ (s|min)|h/);
    expect(await page.getByTestId('experiment-cost').textContent()).toContain('$0');
    await screenshot(page, 'experiment-running');

    await page.getByRole('button', { name: 'Cancel experiment' }).click();
    await expect
      .poll(() => page.getByTestId('experiment-status').textContent(), { timeout: 20_000 })
      .toBe('cancelled');
    const stopped = await progressValue(page, 'experiment-progress');
    expect((await slow.client.optimizer.experiments.get.query({ id: started.id })).status).toBe('cancelled');

    await page.getByRole('button', { name: 'Resume experiment' }).click();
    await expect
      .poll(() => page.getByTestId('experiment-status').textContent(), { timeout: 20_000 })
      .toBe('running');
    await expect
      .poll(() => progressValue(page, 'experiment-progress'), { timeout: 30_000 })
      .toBeGreaterThan(stopped);
    await page.getByRole('button', { name: 'Cancel experiment' }).click();
    await expect
      .poll(() => page.getByTestId('experiment-status').textContent(), { timeout: 20_000 })
      .toBe('cancelled');
  });

  it('resumes a budget stop with the higher budget typed on the page', async () => {
    const { page } = session;
    const started = await fast.client.optimizer.experiments.run.mutate({
      config: EXPERIMENT_TEMPLATE.replace('seeds: [42]', 'seeds: [11]').replace(
        'maxCalls: 20000',
        'maxCalls: 200',
      ),
    });
    await page.goto(`${fast.url}/#/experiments/${started.id}`);
    await expect
      .poll(() => page.getByTestId('experiment-status').textContent(), { timeout: 30_000 })
      .toBe('budget-exceeded');
    expect(await page.getByRole('button', { name: 'Resume experiment' }).count()).toBe(0);
    const form = page.getByRole('form', { name: 'Resume with a higher budget' });
    await form.getByLabel('Max requests').fill('20000');
    await form.getByRole('button', { name: 'Resume with this budget' }).click();
    await expect
      .poll(() => page.getByTestId('experiment-status').textContent(), { timeout: 60_000 })
      .toBe('completed');
    const record = await fast.client.optimizer.experiments.get.query({ id: started.id });
    expect(record.config.budget).toEqual({ maxCalls: 20000 });
    await page.locator('.unseen-table').waitFor({ timeout: 20_000 });
  });
});
