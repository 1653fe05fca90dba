import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatasetsService } from '@metaspo/datasets';
import type { PlatformOptions } from './platform.js';
import { createPlatform, type Platform } from './platform.js';

const REPO_ROOT = fileURLToPath(new URL('../../..', import.meta.url));
const SHARED_DATASETS = process.env.METASPO_SHARED_DATASETS ?? path.resolve(REPO_ROOT, '../shared/datasets');

/**
 * A platform whose datasets database already holds SPRIG's component corpus: it is fetched from
 * the shared files (with one small catalog task, the smallest selection that brings the corpus)
 * before the platform opens the same SQLite file.
 */
export async function platformWithCorpus(options: Omit<PlatformOptions, 'dir'>): Promise<Platform> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-sprig-'));
  const datasets = createDatasetsService({ databaseFile: path.join(dir, 'datasets.sqlite') });
  try {
    const report = await datasets.fetch({ taskIds: ['navigate'], from: SHARED_DATASETS });
    if (!report.assets.some((a) => a.id === 'component-corpus')) {
      throw new Error(`the fetch from ${SHARED_DATASETS} brought no component corpus`);
    }
  } finally {
    datasets.close();
  }
  return createPlatform({ ...options, dir });
}
