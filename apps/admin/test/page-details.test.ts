import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { RunRecord } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { useBrowser } from './support/browser.js';
import {
  runToEnd,
  smallConfig,
  startPlatform,
  type TestPlatform,
  waitForMetaTestEnd,
} from './support/platform.js';

const CSV = [
  'question,answer',
  ...Array.from({ length: 12 }, (_, i) => `is ${i} even?,${i % 2 ? 'no' : 'yes'}`),
].join('\n');

/** A loopback port nothing listens on, for an Ollama that is not running. */
async function closedPort(): Promise<number> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return port;
}

/** Titles, fetch buttons, provider checks, run pickers and Compare's unseen row; each test opens its own page. */
describe('page details in chromium', () => {
  const session = useBrowser({ failOnPageErrors: true });
  let platform: TestPlatform;
  let tested: RunRecord;
  let untested: RunRecord;
  let metaTestId: string;
  let ollamaPort: number;

  beforeAll(async () => {
    ollamaPort = await closedPort();
    platform = await startPlatform({
      config: { llm: { providers: { ollama: { baseUrl: `http://127.0.0.1:${ollamaPort}/v1` } } } },
    });
    // Two runs with the same name: pickers must still tell them apart.
    const config = smallConfig({ iterations: 1, trainSize: 8 });
    tested = await runToEnd(platform.client, 'demo', config);
    untested = await runToEnd(platform.client, 'demo', config);
    const metaTest = await platform.client.optimizer.metaTests.start.mutate({
      kind: 'unseen',
      runId: tested.id,
      tasks: ['proc_object_counting'],
      unseenUserPrompts: 1,
      testSize: 10,
    });
    metaTestId = metaTest.id;
    await waitForMetaTestEnd(platform.client, metaTestId);
    await platform.client.datasets.import.mutate({
      taskId: 'shop_reviews',
      domain: 'shop',
      format: 'csv',
      fileName: 'shop.csv',
      content: CSV,
      answerType: 'yes-no',
    });
  }, 240_000);

  afterAll(async () => {
    await platform?.close();
  });

  it('gives each page its own title', async () => {
    const { page } = session;
    const titles = new Map<string, string>();
    for (const [hash, heading] of [
      ['#/runs', 'Runs'],
      ['#/datasets', 'Datasets'],
      ['#/models', 'Models'],
      [`#/runs/${tested.id}`, 'demo'],
    ] as const) {
      await page.goto(`${platform.url}/${hash}`);
      await page.getByRole('heading', { level: 1, name: heading }).first().waitFor();
      titles.set(hash, await page.title());
    }
    expect(titles.get('#/runs')).toBe('Runs · MetaSPO');
    expect(titles.get('#/datasets')).toBe('Datasets · MetaSPO');
    expect(titles.get('#/models')).toBe('Models · MetaSPO');
    expect(titles.get(`#/runs/${tested.id}`)).toBe(`Run ${tested.id} · MetaSPO`);
  });

  it('offers fetch only for catalog domains, and says how to get files without a local folder', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/datasets`);
    const shop = page.getByRole('region', { name: 'Domain shop' });
    await shop.waitFor();
    expect(await shop.getByRole('button').count()).toBe(0);
    expect(await page.getByRole('region', { name: 'Domain procedural' }).getByRole('button').count()).toBe(0);
    // This server has no local source folder: the button downloads, and says so.
    const medical = page.getByRole('region', { name: 'Domain medical' });
    expect(await medical.getByRole('button', { name: 'Download medical' }).count()).toBe(1);
    expect(await medical.textContent()).toContain('downloads the pinned public files');
  });

  it('shows provider status from a real check', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/models`);
    const ollama = page.locator('tr[data-provider="ollama"]');
    await ollama.waitFor();
    expect(await ollama.locator('.status').textContent()).toBe('not running');
    expect(await ollama.textContent()).toContain(`127.0.0.1:${ollamaPort}`);
    expect(await page.locator('tr[data-provider="sim"] .status').textContent()).toBe('ready');
    expect(await page.locator('tr[data-provider="llamacpp"] .status').textContent()).toBe('not configured');
  });

  it('names runs in pickers by name, date and short id', async () => {
    const { page } = session;
    await page.goto(`${platform.url}/#/compare`);
    const picker = page.getByLabel('Add run');
    await expect.poll(() => picker.locator('option').count()).toBeGreaterThanOrEqual(3);
    const labels = await picker.locator('option').allTextContents();
    const demos = labels.filter((l) => l.startsWith('demo · '));
    expect(demos).toHaveLength(2);
    expect(new Set(demos).size).toBe(2);
    expect(demos.some((l) => l.endsWith(tested.id.slice(-8)))).toBe(true);
    expect(demos.every((l) => /· \d{4}-\d{2}-\d{2} \d{2}:\d{2} ·/.test(l))).toBe(true);
  });

  it("shows each run's unseen-task score on Compare when it has a meta-test", async () => {
    const { page } = session;
    const record = await platform.client.optimizer.metaTests.get.query({ id: metaTestId });
    expect(record.status).toBe('completed');
    const expected = `${((record.unseen?.overall.optimized ?? Number.NaN) * 100).toFixed(1)}%`;
    await page.goto(`${platform.url}/#/compare?ids=${tested.id},${untested.id}`);
    const row = page.locator('[data-testid="unseen-row"]');
    await row.waitFor();
    const cells = row.locator('td');
    await expect.poll(() => cells.count()).toBe(2);
    expect(await cells.nth(0).textContent()).toContain(expected);
    expect(await cells.nth(0).textContent()).toContain('proc_object_counting');
    expect(await cells.nth(1).textContent()).toContain('no completed unseen meta-test');
  });
});
