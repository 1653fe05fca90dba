import fs from 'node:fs';
import path from 'node:path';
import { type RunningServer, startServer } from '@metaspo/server';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tempDir } from '../support/cli-process.js';
import { rawRequest } from '../support/raw-http.js';

/**
 * The bullets of issue 16 a web page or an unlucky request could trigger, each against a real
 * server on a loopback port.
 */
describe('a server under hostile requests', () => {
  const dir = tempDir('hostile');
  const adminDir = path.join(dir, 'admin');
  let server: RunningServer;
  const get = (requestPath: string, headers: Record<string, string> = {}) =>
    rawRequest(server.port, { path: requestPath, headers });

  beforeAll(async () => {
    fs.mkdirSync(path.join(adminDir, 'assets'), { recursive: true });
    fs.writeFileSync(path.join(adminDir, 'index.html'), '<!doctype html><title>admin</title>');
    fs.writeFileSync(path.join(adminDir, 'assets', 'app.js'), 'console.log(1)');
    // Any read of this file fails with EIO after the headers are sent.
    fs.symlinkSync('/proc/self/mem', path.join(adminDir, 'assets', 'unreadable.js'));
    server = await startServer({ dataDir: path.join(dir, 'data'), port: 0, adminDir, env: {} });
  });
  afterAll(async () => {
    await server.close();
  });

  it('answers a malformed percent-encoding with a 400 JSON error and stays up', async () => {
    for (const bad of ['/%E0%A4%A', '/assets/%', '/%C0%AF', '/%00']) {
      const res = await get(bad);
      expect(res.status, bad).toBeGreaterThanOrEqual(400);
      expect(res.status, bad).toBeLessThan(500);
      expect(res.headers['content-type']).toBe('application/json');
      expect(JSON.parse(res.body).error).toMatch(/malformed percent-encoding|NUL byte/);
    }
    expect((await get('/health')).status).toBe(200);
  });

  it('ends only the one response whose file fails mid-stream', async () => {
    const broken = await get('/assets/unreadable.js');
    expect(broken.status).toBe(200);
    expect(broken.aborted).toBe(true);
    const next = await get('/assets/app.js');
    expect(next.body).toBe('console.log(1)');
    expect((await get('/health')).status).toBe(200);
  });

  it('refuses a DNS-rebinding page (a foreign Host name) with 421', async () => {
    const res = await get('/trpc/optimizer.runs.list', { host: `rebind.attacker.example:${server.port}` });
    expect(res.status).toBe(421);
    expect((await get('/trpc/optimizer.runs.list', { host: `localhost:${server.port}` })).status).toBe(200);
  });

  it('refuses the cross-site form that wiped the cache (multipart to llm.cache.clear) with 415', async () => {
    const boundary = 'metaspoformboundary';
    const form = `--${boundary}\r\nContent-Disposition: form-data; name="x"\r\n\r\n1\r\n--${boundary}--\r\n`;
    const res = await rawRequest(server.port, {
      method: 'POST',
      path: '/trpc/llm.cache.clear',
      headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      body: form,
    });
    expect(res.status).toBe(415);
    const crossSite = await rawRequest(server.port, {
      method: 'POST',
      path: '/trpc/llm.cache.clear',
      headers: { 'content-type': 'application/json', origin: 'https://some-site.example' },
      body: '{}',
    });
    expect(crossSite.status).toBe(403);
  });

  it('serves the admin app with a CSP, frame-ancestors none, nosniff and a referrer policy', async () => {
    const page = await get('/runs');
    expect(page.body).toContain('<title>admin</title>');
    expect(page.headers['content-security-policy']).toMatch(/default-src 'self'/);
    expect(page.headers['content-security-policy']).toMatch(/frame-ancestors 'none'/);
    expect(page.headers['x-content-type-options']).toBe('nosniff');
    expect(page.headers['referrer-policy']).toBe('no-referrer');
  });
});
