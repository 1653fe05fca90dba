import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { createServiceClient } from '@metaspo/service-kit';
import { afterEach, describe, expect, it } from 'vitest';
import { createDatasetsRouter, type DatasetsRouter } from '../src/index.js';
import { tempService } from './helpers.js';

const CSV = [
  'question,answer',
  ...Array.from({ length: 10 }, (_, i) => `is ${i} even?,${i % 2 ? 'no' : 'yes'}`),
].join('\n');

describe('datasets.fetchSources', () => {
  const cleanups: Array<() => void> = [];
  afterEach(() => {
    for (const cleanup of cleanups.splice(0)) cleanup();
  });

  it('names no local folder when none is configured, and lists only catalog domains', async () => {
    const ctx = tempService();
    cleanups.push(ctx.cleanup);
    // A user import into a domain of its own: the registry lists it, but there is nothing to fetch.
    ctx.service.importUserData({
      taskId: 'shop_reviews',
      domain: 'shop',
      format: 'csv',
      fileName: 'shop.csv',
      content: CSV,
      answerType: 'yes-no',
    });
    expect(ctx.service.listTasks().some((t) => t.domain === 'shop')).toBe(true);
    const client = createServiceClient<DatasetsRouter>({ router: createDatasetsRouter(ctx.service) });
    const sources = await client.fetchSources.query();
    expect(sources.localDir).toBeNull();
    expect(sources.localDirFound).toBe(false);
    expect(sources.catalogDomains).toEqual(expect.arrayContaining(['medical', 'review']));
    expect(sources.catalogDomains).not.toContain('shop');
    expect(sources.catalogDomains).not.toContain('procedural');
    expect(sources.catalogDomains).toEqual([...sources.catalogDomains].sort());
  });

  it('reports the configured folder, resolved, and whether it exists', () => {
    const dir = mkdtempSync(path.join(tmpdir(), 'metaspo-shared-'));
    cleanups.push(() => rmSync(dir, { recursive: true, force: true }));
    const present = tempService({ sharedDatasetsDir: dir });
    cleanups.push(present.cleanup);
    expect(present.service.fetchSources()).toMatchObject({ localDir: dir, localDirFound: true });
    const missing = tempService({ sharedDatasetsDir: path.join(dir, 'no-such-folder') });
    cleanups.push(missing.cleanup);
    expect(missing.service.fetchSources()).toMatchObject({
      localDir: path.join(dir, 'no-such-folder'),
      localDirFound: false,
    });
  });
});
