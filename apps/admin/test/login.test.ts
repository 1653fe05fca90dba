import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { screenshot, useBrowser } from './support/browser.js';
import { smallConfig, startPlatform, type TestPlatform } from './support/platform.js';

const TOKEN = 'admin-login-test-token-0123456789';

/** `METASPO_API_TOKEN` set: the app asks for the token once, then works, event streams included. */
describe('admin app in token mode', () => {
  // One page for the file: the tests log in once and follow that session.
  const session = useBrowser({ pagePer: 'file' });
  let server: TestPlatform;

  beforeAll(async () => {
    server = await startPlatform({ token: TOKEN });
    await server.client.optimizer.runs.create.mutate({ config: smallConfig(), name: 'run behind the token' });
  }, 240_000);

  afterAll(async () => {
    await server?.close();
  });

  it('shows the login page instead of 401 errors', async () => {
    const { page } = session;
    await page.goto(`${server.url}/#/runs`);
    await page.getByRole('heading', { name: 'Log in' }).waitFor();
    expect(await page.getByText('run behind the token').count()).toBe(0);
  });

  it('refuses a wrong token with a clear message', async () => {
    const { page } = session;
    await page.getByLabel('API token').fill('not-the-token-at-all');
    await page.getByRole('button', { name: 'Log in' }).click();
    await page.getByRole('alert').filter({ hasText: 'not the token this server was started with' }).waitFor();
  });

  it('logs in with the token and then shows the data, the session in an HttpOnly cookie', async () => {
    const { page } = session;
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
    const { page, seen } = session;
    await page.reload();
    await page.getByText('run behind the token').waitFor();
    await page.goto(`${server.url}/#/`);
    await page.getByRole('heading', { name: 'Overview' }).waitFor();
    expect(await page.getByRole('heading', { name: 'Log in' }).count()).toBe(0);
    expect(seen.cspViolations).toEqual([]);
    expect(seen.errors).toEqual([]);
  });
});
