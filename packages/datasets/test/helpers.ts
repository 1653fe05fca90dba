import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { createDatasetsService, type DatasetsServiceOptions } from '../src/index.js';

const repoRoot = path.resolve(fileURLToPath(new URL('../../..', import.meta.url)));
export const SHARED_DATASETS =
  process.env.METASPO_SHARED_DATASETS ?? path.resolve(repoRoot, '../shared/datasets');

export interface ManifestEntry {
  domain: string;
  task: string;
  source_repo: string;
  commit: string;
  original_path: string;
  local_path: string;
  sha256: string;
  records: number;
}

/** A service on a fresh SQLite file in its own temp dir; `cleanup` closes and removes both. */
export function tempService(options: Omit<DatasetsServiceOptions, 'databaseFile'> = {}) {
  const dir = mkdtempSync(path.join(tmpdir(), 'metaspo-datasets-'));
  const service = createDatasetsService({ databaseFile: path.join(dir, 'datasets.sqlite'), ...options });
  return {
    dir,
    service,
    cleanup() {
      service.close();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}
