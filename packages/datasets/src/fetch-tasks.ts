import type { FetchReport, FetchTaskReport, TaskSpec } from '@metaspo/schemas';
import { DomainError, stableHash } from '@metaspo/service-kit';
import type { CatalogTask } from './catalog/index.js';
import type { LoadedFile } from './importers/parse.js';
import type { DraftExample, SourceFiles } from './importers/types.js';
import { type PreparedDataset, prepareDataset } from './pipeline.js';
import type { ProceduralCatalog, ProceduralTask } from './procedural-catalog.js';
import { fetchProtocolAssets, type ProtocolAsset, type ProtocolStore } from './protocol-assets/index.js';
import { type FileOrigin, loadPinnedFile } from './sources.js';
import type { Store } from './store.js';
import { type StoreIfChangedInput, storeIfChanged } from './store-if-changed.js';
import type { ResolvedTask, TaskRegistry } from './task-registry.js';

/** Part of every content hash: bump it when an importer's output changes, so fetch re-imports. */
export const IMPORTER_VERSION = 2;

export interface FetchSelection {
  domain?: string | undefined;
  taskIds?: string[] | undefined;
  all?: boolean | undefined;
}

export function selectTasks(registry: TaskRegistry, selection: FetchSelection): ResolvedTask[] {
  if (selection.taskIds) {
    return selection.taskIds.map((id) => {
      const task = registry.get(id);
      if (task.kind === 'user') {
        throw new DomainError(
          'INVALID_INPUT',
          `task "${id}" is user data: re-import it with \`metaspo datasets import\``,
        );
      }
      return task;
    });
  }
  const builtin = registry.builtin();
  if (selection.all) return builtin;
  const inDomain = builtin.filter((t) => t.spec.domain === selection.domain);
  if (inDomain.length === 0)
    throw new DomainError('NOT_FOUND', `no built-in tasks in domain "${selection.domain}"`);
  return inDomain;
}

function sourceFiles(task: CatalogTask, loaded: LoadedFile[], maxBytes: number): SourceFiles {
  const withRole = (role: string) => loaded.filter((_, i) => task.files[i]!.role === role);
  return {
    maxBytes,
    all: withRole,
    get(role) {
      const files = withRole(role);
      if (files.length !== 1)
        throw new Error(`catalog task ${task.spec.id}: expected one "${role}" file, found ${files.length}`);
      return files[0]!;
    },
  };
}

function proceduralDrafts(
  task: ProceduralTask,
  spec: TaskSpec,
  sizes: ProceduralCatalog['sizes'],
): DraftExample[] {
  return (['train', 'test'] as const).flatMap((split) =>
    task.generate(split === 'train' ? sizes.trainSeed : sizes.testSeed, sizes[split]).map(
      (item, index): DraftExample => ({
        file: `procedural:${spec.id}`,
        location: `${split} item ${index + 1}`,
        goldField: 'answer',
        split,
        question: item.question,
        gold:
          spec.answerType.kind === 'free-text' ? [item.answer, ...(item.acceptedAnswers ?? [])] : item.answer,
        ...(item.options ? { options: item.options } : {}),
      }),
    ),
  );
}

interface FetchDeps {
  store: Store;
  origin: FileOrigin;
  procedural: ProceduralCatalog;
  now: () => Date;
}

function storeCatalogData(
  deps: FetchDeps,
  spec: TaskSpec,
  record: StoreIfChangedInput['record'],
  prepare: () => PreparedDataset,
  expectedRecords: number | null,
): FetchTaskReport {
  const report = storeIfChanged({ store: deps.store, now: deps.now, spec, record, prepare, userSpec: null });
  return { ...report, expectedRecords };
}

async function fetchCatalogTask(deps: FetchDeps, task: CatalogTask): Promise<FetchTaskReport> {
  const loaded: LoadedFile[] = [];
  for (const file of task.files) loaded.push(await loadPinnedFile(file, deps.origin));
  const files = task.files.map((f) => ({ path: f.path, sha256: f.sha256 }));
  const expected = task.files.filter((f) => f.countsRecords).reduce((sum, f) => sum + f.records, 0);
  return storeCatalogData(
    deps,
    task.spec,
    {
      taskId: task.spec.id,
      domain: task.spec.domain,
      origin: 'fetch',
      files,
      contentHash: stableHash({ v: IMPORTER_VERSION, task: task.spec.id, files }),
    },
    () => prepareDataset(task.spec, task.importer(sourceFiles(task, loaded, deps.origin.maxBytes))),
    expected,
  );
}

export function materializeProcedural(
  deps: FetchDeps,
  task: ProceduralTask,
  spec: TaskSpec,
): FetchTaskReport {
  const drafts = proceduralDrafts(task, spec, deps.procedural.sizes);
  return storeCatalogData(
    deps,
    spec,
    {
      taskId: spec.id,
      domain: spec.domain,
      origin: 'procedural',
      files: [],
      contentHash: stableHash({
        v: IMPORTER_VERSION,
        spec,
        drafts: drafts.map((d) => [d.split, d.question, d.gold, d.options]),
      }),
    },
    () => prepareDataset(spec, { drafts, recordsRead: drafts.length, skipped: [] }),
    null,
  );
}

/**
 * Fetches each selected task in turn, one transaction per task, then the selected protocol
 * assets in one transaction; stops at the first failure.
 */
export async function fetchTasks(
  deps: FetchDeps & { protocol: ProtocolStore },
  tasks: ResolvedTask[],
  assets: ProtocolAsset[],
): Promise<FetchReport> {
  const report: FetchReport = { tasks: [], unavailable: [], assets: [] };
  for (const task of tasks) {
    try {
      if (task.kind === 'catalog') report.tasks.push(await fetchCatalogTask(deps, task.catalog));
      else if (task.kind === 'procedural')
        report.tasks.push(materializeProcedural(deps, task.procedural, task.spec));
      else if (task.kind === 'unavailable')
        report.unavailable.push({
          taskId: task.spec.id,
          reason: task.spec.unavailableReason ?? 'unavailable',
        });
    } catch (error) {
      if (error instanceof DomainError) {
        error.message = `fetch ${task.spec.id}: ${error.message}`;
      }
      throw error;
    }
  }
  report.assets = await fetchProtocolAssets(deps, assets);
  return report;
}
