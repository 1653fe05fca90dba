import type { FetchAssetReport } from '@metaspo/schemas';
import { DomainError, stableHash } from '@metaspo/service-kit';
import type { FileOrigin } from '../sources.js';
import { loadPinnedFile } from '../sources.js';
import type { ResolvedTask } from '../task-registry.js';
import { PROTOCOL_ASSETS, type ProtocolAsset } from './catalog.js';
import { parseProtocolAsset, recordsOf } from './parse.js';
import type { ProtocolAssetRow, ProtocolStore } from './store.js';

/** Part of each asset's content hash: bump it when a parser's output changes. */
const ASSET_PARSER_VERSION = 1;

/**
 * The assets a fetch brings: all of them for `all`; for a domain or task list, the fixed
 * system prompts, the corpus and the user prompts of the selected tasks. A selection of
 * procedural or unavailable tasks only brings none, so it still needs no network.
 */
export function selectAssets(all: boolean, tasks: ResolvedTask[]): ProtocolAsset[] {
  if (all) return PROTOCOL_ASSETS;
  if (!tasks.some((task) => task.kind === 'catalog')) return [];
  const ids = new Set(tasks.map((task) => task.spec.id));
  return PROTOCOL_ASSETS.filter((asset) => asset.kind !== 'user-prompts' || ids.has(asset.taskId));
}

const hashOf = (asset: ProtocolAsset) =>
  stableHash({ v: ASSET_PARSER_VERSION, id: asset.id, sha256: asset.file.sha256 });

/**
 * Loads (downloads or reads), checks and parses every changed asset first, then stores them
 * all in one transaction; an asset whose stored hash is the same is reported unchanged.
 */
export async function fetchProtocolAssets(
  deps: { protocol: ProtocolStore; origin: FileOrigin; now: () => Date },
  assets: ProtocolAsset[],
): Promise<FetchAssetReport[]> {
  const rows: ProtocolAssetRow[] = [];
  const reports: FetchAssetReport[] = [];
  const importedAt = deps.now().toISOString();
  for (const asset of assets) {
    const contentHash = hashOf(asset);
    if (deps.protocol.contentHash(asset.id) === contentHash) {
      reports.push({ id: asset.id, status: 'unchanged', records: deps.protocol.records(asset.id)! });
      continue;
    }
    try {
      const content = parseProtocolAsset(asset, await loadPinnedFile(asset.file, deps.origin));
      const { repository, commit, path, sha256 } = asset.file;
      const records = recordsOf(content);
      rows.push({
        id: asset.id,
        kind: asset.kind,
        repository,
        commit,
        path,
        sha256,
        records,
        content,
        contentHash,
        importedAt,
      });
      reports.push({ id: asset.id, status: 'imported', records });
    } catch (error) {
      if (error instanceof DomainError) error.message = `fetch protocol asset ${asset.id}: ${error.message}`;
      throw error;
    }
  }
  deps.protocol.upsertAll(rows);
  return reports;
}
