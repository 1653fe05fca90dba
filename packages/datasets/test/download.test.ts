import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { CATALOG_TASKS } from '../src/index.js';
import { SHARED_DATASETS, tempService } from './helpers.js';

/** Serves the pinned navigate.json (or a tampered copy) under its raw.githubusercontent path. */
describe('fetch downloads the pinned file and verifies its sha256', () => {
  const navigate = CATALOG_TASKS.find((t) => t.spec.id === 'navigate')!;
  const pinnedPath = new URL(navigate.spec.source!.urls[0]!).pathname;
  const original = readFileSync(path.join(SHARED_DATASETS, navigate.files[0]!.localPath));
  let body: Buffer = original;
  const requested: string[] = [];
  let server: Server;
  let base = '';

  beforeAll(async () => {
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      if (req.url !== pinnedPath) {
        res.writeHead(404).end('not found');
        return;
      }
      res.writeHead(200, { 'content-length': body.length }).end(body);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  afterAll(() => new Promise<void>((resolve) => server.close(() => resolve())));

  /** The real fetch, pointed at the loopback server instead of GitHub. */
  const loopbackFetch = (url: string, init?: { signal?: AbortSignal }) =>
    fetch(url.replace('https://raw.githubusercontent.com', base), init);

  it('builds the URL from repository, commit and path', () => {
    expect(navigate.spec.source!.urls[0]).toBe(
      'https://raw.githubusercontent.com/suzgunmirac/BIG-Bench-Hard/9ee07bd481feebf959a6b59d61ea57bdcf30964d/bbh/navigate.json',
    );
  });

  it('imports the downloaded file, and a second fetch adds nothing', async () => {
    body = original;
    const ctx = tempService({ fetchImpl: loopbackFetch });
    try {
      const first = await ctx.service.fetch({ taskIds: ['navigate'] });
      expect(first.tasks[0]).toMatchObject({ taskId: 'navigate', status: 'imported', recordsRead: 250 });
      expect(requested.at(-1)).toBe(pinnedPath);
      const second = await ctx.service.fetch({ taskIds: ['navigate'] });
      expect(second.tasks[0]!.status).toBe('unchanged');
      expect(ctx.service.counts().examples).toBe(250);
    } finally {
      ctx.cleanup();
    }
  });

  it('refuses a download whose sha256 differs, leaving the database unchanged', async () => {
    body = Buffer.concat([original, Buffer.from('\n')]);
    const ctx = tempService({ fetchImpl: loopbackFetch });
    try {
      await expect(ctx.service.fetch({ taskIds: ['navigate'] })).rejects.toThrow(
        `fetch navigate: ${navigate.spec.source!.urls[0]}: sha256 mismatch: expected ${navigate.files[0]!.sha256}`,
      );
      expect(ctx.service.counts()).toEqual({ datasets: 0, examples: 0, userTasks: 0 });
    } finally {
      ctx.cleanup();
      body = original;
    }
  });

  it('reports an HTTP error with the URL', async () => {
    const ctx = tempService({ fetchImpl: (url, init) => loopbackFetch(`${url}.missing`, init) });
    try {
      await expect(ctx.service.fetch({ taskIds: ['navigate'] })).rejects.toThrow(
        `fetch navigate: ${navigate.spec.source!.urls[0]}: download failed with HTTP 404`,
      );
    } finally {
      ctx.cleanup();
    }
  });
});
