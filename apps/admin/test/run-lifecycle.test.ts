import http from 'node:http';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, useBrowser } from './support/browser.js';
import { openedRunId, progressPast, progressValue } from './support/pages.js';
import { smallConfig, startPlatform, type TestPlatform, waitForRunEnd } from './support/platform.js';

/**
 * A run's life driven from the page: live progress of a `sim:default` run with nothing slowing
 * the simulator down, cancel and resume, delete, and "edit and retry" of a failed run. Each test
 * creates the runs it uses, so they pass in any order.
 */
describe('run lifecycle in chromium', () => {
  const session = useBrowser({ failOnPageErrors: true });
  let platform: TestPlatform;

  beforeAll(async () => {
    platform = await startPlatform();
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  });

  /**
   * A run long enough to still be going while the page watches it: the reference sizes with 30
   * iterations (a 3-iteration one takes the in-process simulator about 4 s). Its own seed keeps
   * it out of the cache other tests filled.
   */
  const startLongRun = async (name: string, seed: number) => {
    const run = await platform.client.optimizer.runs.create.mutate({
      config: { metaTrainTasks: 'procedural', baseModel: 'sim:default', iterations: 30, seed },
      name,
    });
    await platform.client.optimizer.runs.start.mutate({ id: run.id });
    return run;
  };

  it('shows live progress of a sim:default run started from the form', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/runs/new`);
    // The form opens on the reference defaults with the built-in simulator.
    expect(await page.getByLabel('Base model').inputValue()).toBe('sim:default');
    await page.getByLabel('Name').fill('live from the form');
    // Long enough to watch (see startLongRun), on its own seed.
    await page.getByLabel('Iterations').fill('30');
    await page.getByLabel('Seed').fill('2002');
    await page.getByText('The config is valid.').waitFor({ timeout: 10_000 });
    await page.getByRole('button', { name: 'Create run' }).click();
    const id = await openedRunId(page);
    try {
      // The run page shows the record it was handed at once, not a loading line.
      expect(await page.getByText('Loading run').count()).toBe(0);
      await page.getByRole('heading', { name: /live from the form/ }).waitFor({ timeout: 5_000 });
      const first = await progressPast(page, 'run-progress', 0);
      const second = await progressPast(page, 'run-progress', first);
      expect(second).toBeGreaterThan(first);
      expect(await page.getByText('Loading run').count()).toBe(0);
      expect(await page.getByText('Live updates: connected').count()).toBe(1);
      expect(await page.getByTestId('numbers-legend').textContent()).toContain('Requests:');
      await screenshot(page, 'run-live-sim-default');
    } finally {
      await platform.client.optimizer.runs.cancel.mutate({ id });
    }
  });

  it('cancels and resumes a run from its page', async () => {
    const { page } = session;
    const run = await startLongRun('cancel and resume', 1001);
    try {
      await page.goto(`${platform.url}/#/runs/${run.id}`);
      await progressPast(page, 'run-progress', 0);
      await page.getByRole('button', { name: 'Cancel' }).click();
      await page.locator('h1 .status-cancelled').waitFor({ timeout: 20_000 });
      expect((await platform.client.optimizer.runs.get.query({ id: run.id })).status).toBe('cancelled');
      const stoppedAt = await progressValue(page, 'run-progress');
      const resume = page.getByRole('button', { name: 'Resume' });
      expect(await resume.isEnabled()).toBe(true);
      await resume.click();
      await page.locator('h1 .status-running').waitFor({ timeout: 20_000 });
      // The resumed run goes on past where it stopped (its done work replays from the cache).
      await progressPast(page, 'run-progress', stoppedAt);
      expect((await platform.client.optimizer.runs.get.query({ id: run.id })).status).toBe('running');
      await screenshot(page, 'run-resumed');
    } finally {
      await platform.client.optimizer.runs.cancel.mutate({ id: run.id });
    }
  });

  it('deletes a run after asking, and the list no longer has it', async () => {
    const { page } = session;
    const created = await platform.client.optimizer.runs.create.mutate({
      config: smallConfig({ iterations: 1 }),
      name: 'to be deleted',
    });
    await page.goto(`${platform.url}/#/runs/${created.id}`);
    await page.getByRole('button', { name: 'Delete…' }).click();
    // Nothing is removed before the confirmation.
    expect((await platform.client.optimizer.runs.get.query({ id: created.id })).id).toBe(created.id);
    await page.getByRole('button', { name: 'Keep it' }).click();
    await page.getByRole('button', { name: 'Delete…' }).click();
    await page.getByRole('button', { name: 'Delete run' }).click();
    await page.waitForFunction(() => window.location.hash === '#/runs');
    await page.getByRole('heading', { name: 'Runs' }).waitFor();
    expect(await page.locator(`tr[data-run-id="${created.id}"]`).count()).toBe(0);
    await expect(platform.client.optimizer.runs.get.query({ id: created.id })).rejects.toThrow();
  });

  it("opens a failed run's config in the form for edit and retry, with Resume off", async () => {
    const { page } = session;
    // An OpenAI-compatible server that refuses every key: the run fails on its first calls.
    const refusing = http.createServer((_req, res) => {
      res.writeHead(401, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ error: { message: 'invalid api key', type: 'invalid_request_error' } }));
    });
    await new Promise<void>((resolve) => refusing.listen(0, '127.0.0.1', resolve));
    const address = refusing.address();
    if (address === null || typeof address === 'string') throw new Error('the refusing server has no port');
    const port = address.port;
    const failing = await startPlatform({
      config: {
        llm: { endpoints: { refusing: { baseUrl: `http://127.0.0.1:${port}/v1` } } },
      },
    });
    try {
      const run = await failing.client.optimizer.runs.create.mutate({
        config: smallConfig({ baseModel: 'openai-compatible@refusing:some-model', iterations: 1 }),
        name: 'refused by its provider',
      });
      await failing.client.optimizer.runs.start.mutate({ id: run.id });
      expect((await waitForRunEnd(failing.client, run.id)).status).toBe('failed');
      await failing.stopServer();
      // The same data on a server without that endpoint: resuming could only fail again.
      const restarted = await startPlatform({ dataDir: failing.dataDir });
      try {
        await page.goto(`${restarted.url}/#/runs/${run.id}`);
        await page.locator('h1 .status-failed').waitFor({ timeout: 20_000 });
        await page.locator('#resume-blocked').waitFor({ timeout: 10_000 });
        expect(await page.getByRole('button', { name: 'Resume' }).isDisabled()).toBe(true);
        await page.getByRole('link', { name: 'Edit and retry' }).click();
        await page.getByRole('heading', { name: 'Edit and retry' }).waitFor();
        expect(await page.getByLabel('Name').inputValue()).toBe('refused by its provider');
        expect(await page.getByLabel('Base model').inputValue()).toBe(
          'openai-compatible@refusing:some-model',
        );
        expect(await page.getByLabel('Train examples per task').inputValue()).toBe('10');
        await page.locator('#field-baseModel-error').waitFor({ timeout: 10_000 });
        await screenshot(page, 'run-edit-and-retry');
        await page.getByLabel('Base model').fill('sim:default');
        await page.getByLabel('Name').fill('retried on the simulator');
        await page.getByText('The config is valid.').waitFor({ timeout: 10_000 });
        await page.getByRole('button', { name: 'Create run' }).click();
        const retryId = await openedRunId(page, run.id);
        const retried = await waitForRunEnd(restarted.client, retryId);
        expect(retried.status).toBe('completed');
        expect(retried.config.trainSize).toBe(10);
        expect(retried.config.iterations).toBe(1);
      } finally {
        await restarted.close();
      }
    } finally {
      await failing.close();
      await new Promise((resolve) => refusing.close(resolve));
    }
  });
});
