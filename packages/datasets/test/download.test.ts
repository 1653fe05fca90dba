import { readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type CatalogFile, rawUrl } from '../src/catalog/index.js';
import { CATALOG_TASKS, PROTOCOL_ASSETS } from '../src/index.js';
import { SHARED_DATASETS, tempService } from './helpers.js';

const navigate = CATALOG_TASKS.find((t) => t.spec.id === 'navigate')!;
const epistemic = CATALOG_TASKS.find((t) => t.spec.id === 'epistemic')!;
const pinnedPath = (file: CatalogFile) => new URL(rawUrl(file)).pathname;
const corpus = PROTOCOL_ASSETS.find((a) => a.kind === 'component-corpus')!;

/**
 * Serves navigate.json, epistemic's task.json and the protocol files under their raw.githubusercontent paths, each
 * with the bytes of ../shared/datasets unless a test tampers with one.
 */
describe('fetch downloads the pinned files and verifies their sha256', () => {
  const served = new Map<string, Buffer>();
  const reset = () => {
    served.clear();
    for (const file of [navigate.files[0]!, epistemic.files[0]!, ...PROTOCOL_ASSETS.map((a) => a.file)]) {
      served.set(pinnedPath(file), readFileSync(path.join(SHARED_DATASETS, file.localPath)));
    }
  };
  const requested: string[] = [];
  let server: Server;
  let base = '';

  beforeAll(async () => {
    reset();
    server = createServer((req, res) => {
      requested.push(req.url ?? '');
      const body = served.get(req.url ?? '');
      if (!body) {
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
    expect(rawUrl(corpus.file)).toBe(
      'https://raw.githubusercontent.com/orange0629/prompting/90e070ab40e9c76e5523d6840efa41a827c2bae8/data/system_prompts/Prompt_Component_Corpus.csv',
    );
  });

  it('imports the downloaded files, and a second fetch adds nothing', async () => {
    const ctx = tempService({ fetchImpl: loopbackFetch });
    try {
      requested.length = 0;
      const first = await ctx.service.fetch({ taskIds: ['navigate'] });
      expect(first.tasks[0]).toMatchObject({ taskId: 'navigate', status: 'imported', recordsRead: 250 });
      // A task selection brings the fixed prompts and the corpus; navigate has no user prompts.
      expect(first.assets).toEqual([
        { id: 'system-prompt:default', status: 'imported', records: 1 },
        { id: 'system-prompt:chain-of-thought', status: 'imported', records: 1 },
        { id: 'system-prompt:service', status: 'imported', records: 1 },
        { id: 'component-corpus', status: 'imported', records: 306 },
      ]);
      expect(requested).toContain(pinnedPath(navigate.files[0]!));
      expect(requested).toContain(pinnedPath(corpus.file));
      requested.length = 0;
      const second = await ctx.service.fetch({ taskIds: ['navigate'] });
      expect(second.tasks[0]!.status).toBe('unchanged');
      expect(second.assets.every((a) => a.status === 'unchanged')).toBe(true);
      expect(requested).toEqual([pinnedPath(navigate.files[0]!)]);
      expect(ctx.service.counts().examples).toBe(250);
      expect(ctx.service.protocol.componentCorpus()?.components).toHaveLength(306);
    } finally {
      ctx.cleanup();
    }
  });

  it('fetches the user prompts of the selected tasks only', async () => {
    const ctx = tempService({ fetchImpl: loopbackFetch });
    try {
      expect(ctx.service.protocol.unseenUserPrompts('epistemic')).toBeNull();
      expect(ctx.service.protocol.systemPrompts()).toEqual([]);
      const report = await ctx.service.fetch({ taskIds: ['epistemic'] });
      expect(report.assets).toContainEqual({ id: 'user-prompts:epistemic', status: 'imported', records: 30 });
      expect(report.assets.map((a) => a.id)).not.toContain('user-prompts:ethos');
      expect(ctx.service.protocol.unseenUserPrompts('epistemic')?.prompts).toHaveLength(30);
      expect(ctx.service.protocol.unseenUserPrompts('ethos')).toBeNull();
      expect(ctx.service.protocol.systemPrompts()).toHaveLength(3);
    } finally {
      ctx.cleanup();
    }
  });

  it('refuses a download whose sha256 differs, leaving the database unchanged', async () => {
    const original = served.get(pinnedPath(navigate.files[0]!))!;
    served.set(pinnedPath(navigate.files[0]!), Buffer.concat([original, Buffer.from('\n')]));
    const ctx = tempService({ fetchImpl: loopbackFetch });
    try {
      await expect(ctx.service.fetch({ taskIds: ['navigate'] })).rejects.toThrow(
        `fetch navigate: ${navigate.spec.source!.urls[0]}: sha256 mismatch: expected ${navigate.files[0]!.sha256}`,
      );
      expect(ctx.service.counts()).toEqual({ datasets: 0, examples: 0, userTasks: 0 });
    } finally {
      ctx.cleanup();
      reset();
    }
  });

  it('refuses a tampered protocol file and stores none of the assets', async () => {
    served.set(pinnedPath(corpus.file), Buffer.from('Prompt,Catagory,Comments\r\nBe nice.,style,\r\n'));
    const ctx = tempService({ fetchImpl: loopbackFetch });
    try {
      await expect(ctx.service.fetch({ taskIds: ['navigate'] })).rejects.toThrow(
        `fetch protocol asset component-corpus: ${rawUrl(corpus.file)}: sha256 mismatch: expected ${corpus.file.sha256}`,
      );
      expect(ctx.service.protocol.systemPrompts()).toEqual([]);
      expect(ctx.service.protocol.componentCorpus()).toBeNull();
    } finally {
      ctx.cleanup();
      reset();
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
