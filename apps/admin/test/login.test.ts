import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppRouter } from '@metaspo/server';
import { type RunningServer, startServer } from '@metaspo/server';
import { createTRPCClient, httpBatchLink } from '@trpc/client';
import type { Browser, Page } from 'playwright-core';
import superjson from 'superjson';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { ensureAdminBuild } from './support/admin-build.js';
import { launchChromium, screenshot, watchPage } from './support/browser.js';
import { smallConfig } from './support/platform.js';

const TOKEN = 'admin-login-test-token-0123456789';

/** `METASPO_API_TOKEN` set: the app asks for the token once, then works, event streams included. */
describe('admin app in token mode', () => {
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-admin-login-'));
  let server: RunningServer;
  let browser: Browser;
  let page: Page;
  let seen: ReturnType<typeof watchPage>;
  const cspViolations: string[] = [];

  beforeAll(async () => {
    server = await startServer({
      port: 0,
      dataDir,
      adminDir: await ensureAdminBuild(),
      env: {},
      token: TOKEN,
    });
    const client = createTRPCClient<AppRouter>({
      links: [
        httpBatchLink({
          url: `${server.url}/trpc`,
          transformer: superjson,
          headers: { authorization: `Bearer ${TOKEN}` },
        }),
      ],
    });
    await client.optimizer.runs.create.mutate({ config: smallConfig(), name: 'run behind the token' });
    browser = await launchChromium();
    page = await browser.newPage({ viewport: { width: 1280, height: 800 } });
    seen = watchPage(page);
    page.on('console', (message) => {
      if (/Content Security Policy/i.test(message.text())) cspViolations.push(message.text());
    });
  }, 240_000);

  afterAll(async () => {
    await browser?.close();
    await server?.close();
    fs.rmSync(dataDir, { recursive: true, force: true });
  });

  it('shows the login page instead of 401 errors', async () => {
    await page.goto(`${server.url}/#/runs`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await page.getByText('run behind the token').count()).toBe(0);
  });

  it('refuses a wrong token with a clear message', async () => {
    await page.getByLabel('API token').fill('not-the-token-at-all');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not the token this server was started with' }).waitFor();
  });

  it('logs in with the token and then shows the data, the session in an HttpOnly cookie', async () => {
    await page.getByLabel('API token').fill(TOKEN);
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByText('run behind the token').waitFor();
    await screenshot(page, 'login-runs');
    const cookies = await page.context().cookies();
    expect(cookies).toEqual([
      expect.objectContaining({ name: 'metaspo_session', httpOnly: true, sameSite: 'Strict' }),
    ]);
    expect(cookies[0]?.value).not.toContain(TOKEN);
    expect(await page.evaluate(() => document.cookie)).toBe('');
  });

  it('keeps the session across pages and reloads, and the page ran under its CSP', async () => {
    await page.reload();
    await page.getByText('run behind the token').waitFor();
    await page.goto(`${server.url}/#/`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Log in' }).count()).toBe(0);
    expect(cspViolations).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});
