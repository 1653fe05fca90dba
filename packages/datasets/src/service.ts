import fs from 'node:fs';
import path from 'node:path';
import {
  type AnswerKeyEntry,
  type DatasetImportInput,
  DatasetImportInputSchema,
  type DatasetSummary,
  type DomainSplit,
  type Example,
  type ExamplesPage,
  type ExamplesPageInput,
  ExamplesPageInputSchema,
  type FetchInput,
  FetchInputSchema,
  type FetchReport,
  type FetchSources,
  type ImportReport,
  type SampleRequest,
  type Split,
  type TaskSpec,
} from '@metaspo/schemas';
import {
  DomainError,
  formatFieldIssues,
  invalidInput,
  openDatabase,
  sha256Hex,
  stableHash,
  toFieldIssues,
} from '@metaspo/service-kit';
import type { z } from 'zod';
import { migrationsFolder } from './db/migrations.js';
import { datasetsSchema } from './db/schema.js';
import { fetchTasks, IMPORTER_VERSION, materializeProcedural, selectTasks } from './fetch-tasks.js';
import { assertWithinLimit, DEFAULT_MAX_FILE_BYTES } from './importers/parse.js';
import { userDrafts, userTaskSpec } from './importers/user-data.js';
import { prepareDataset } from './pipeline.js';
import { DEFAULT_PROCEDURAL_CATALOG, type ProceduralCatalog } from './procedural-catalog.js';
import { createProtocolStore, selectAssets } from './protocol-assets/index.js';
import { createReadCaches, versionOf } from './read-caches.js';
import type { FetchLike } from './sources.js';
import { sampleOrder, samplingMethodOf } from './split.js';
import { createStore, toSummary } from './store.js';
import { storeIfChanged } from './store-if-changed.js';
import { createTaskRegistry } from './task-registry.js';

export interface DatasetsServiceOptions {
  /** SQLite file path or ':memory:'. */
  databaseFile: string;
  /**
   * A folder laid out like ../shared/datasets used by `fetch` when the call names no `from`;
   * without it (and without `from`) files are downloaded from their pinned URLs.
   */
  sharedDatasetsDir?: string | undefined;
  fetchImpl?: FetchLike;
  /** Largest file (and largest inflated .gz) an import reads. */
  maxFileBytes?: number;
  downloadTimeoutMs?: number;
  procedural?: ProceduralCatalog;
  now?: () => Date;
}

/** Shuffled split orders kept by `sample` (each holds one id per example of a split). */
const SAMPLE_ORDERS_LIMIT = 256;
interface DatasetVersion {
  splitMethod: string;
  /** Changes whenever an import changes the task's examples or splits. */
  version: string;
}

/** Input checks for in-process callers (the router checks the same schemas before this). */
function parseInput<T extends z.ZodType>(schema: T, value: unknown): z.output<T> {
  const parsed = schema.safeParse(value);
  if (parsed.success) return parsed.data;
  const issues = toFieldIssues(parsed.error.issues);
  throw invalidInput(formatFieldIssues(issues), issues);
}

export function createDatasetsService(options: DatasetsServiceOptions) {
  const database = openDatabase(options.databaseFile, { migrationsFolder, schema: datasetsSchema });
  const store = createStore(database);
  const protocol = createProtocolStore(database);
  const procedural = options.procedural ?? DEFAULT_PROCEDURAL_CATALOG;
  const registry = createTaskRegistry(store, procedural);
  const maxBytes = options.maxFileBytes ?? DEFAULT_MAX_FILE_BYTES;
  const now = options.now ?? (() => new Date());
  const deps = (fromDir: string | undefined) => ({
    store,
    protocol,
    procedural,
    now,
    origin: {
      fromDir: fromDir === undefined ? undefined : path.resolve(fromDir),
      fetchImpl: options.fetchImpl ?? ((url, init) => fetch(url, init)),
      maxBytes,
      downloadTimeoutMs: options.downloadTimeoutMs ?? 120_000,
    },
  });

  /**
   * The whole shuffled order of a split, remembered per (task, split, seed) while the task's
   * dataset stays the same: an evaluation samples the same split for every prompt pair, and
   * reading and shuffling every id of the split cost more than reading the n examples.
   * Truncating the whole order gives what sampleOrder gives for any n.
   */
  const sampleOrders = new Map<string, { version: string; ids: string[] }>();
  function shuffledIds(taskId: string, split: Split, seed: number, dataset: DatasetVersion): string[] {
    const key = `${taskId}\u0000${split}\u0000${split === 'test' ? '' : seed}`;
    const known = sampleOrders.get(key);
    if (known && known.version === dataset.version) return known.ids;
    const all = store.exampleIds(taskId, split);
    const ids = sampleOrder(all, samplingMethodOf(dataset.splitMethod), {
      taskId,
      split,
      seed,
      n: all.length,
    });
    if (sampleOrders.size >= SAMPLE_ORDERS_LIMIT) sampleOrders.clear();
    sampleOrders.set(key, { version: dataset.version, ids });
    return ids;
  }

  const caches = createReadCaches(store);

  /** The stored dataset's version; reads one row, except for a procedural task not generated yet. */
  function datasetVersion(taskId: string): DatasetVersion {
    registry.get(taskId);
    const row = store.datasetVersion(taskId) ?? storedDataset(taskId);
    return { splitMethod: row.splitMethod, version: versionOf(row) };
  }

  /** A task's stored dataset; procedural tasks are generated on first use (no download needed). */
  function storedDataset(taskId: string) {
    const task = registry.get(taskId);
    const stored = store.dataset(taskId);
    if (stored) return stored;
    if (task.kind === 'procedural') {
      materializeProcedural(deps(undefined), task.procedural, task.spec);
      const generated = store.dataset(taskId);
      if (generated) return generated;
    }
    if (task.kind === 'unavailable')
      throw new DomainError('UNAVAILABLE', `task "${taskId}" is unavailable: ${task.spec.unavailableReason}`);
    throw new DomainError(
      'NOT_FOUND',
      `task "${taskId}" has no examples yet: run \`metaspo datasets fetch --task ${taskId}\``,
    );
  }

  return {
    // Copies: an in-process client gets the very object returned (tRPC's local link does not
    // serialize), and these are the registry's own task specs and splits.
    listTasks: (domain?: string): TaskSpec[] => structuredClone(registry.list(domain)),
    getTask: (id: string): TaskSpec => structuredClone(registry.get(id).spec),
    getDomainSplit: (domain: string): DomainSplit => structuredClone(registry.domainSplit(domain)),

    sample(request: SampleRequest): Example[] {
      const dataset = datasetVersion(request.taskId);
      const order = shuffledIds(request.taskId, request.split, request.seed, dataset);
      return caches.examples(request.taskId, dataset.version, order.slice(0, request.n));
    },

    /** Gold answers of every imported example of these tasks (none for tasks not fetched yet). */
    answerKey(taskIds: string[]): AnswerKeyEntry[] {
      return taskIds.flatMap((taskId) => {
        const task = registry.get(taskId);
        const { spec } = task;
        if (task.kind === 'procedural') storedDataset(taskId);
        const row = store.datasetVersion(taskId);
        return row ? caches.answerKey(taskId, spec, versionOf(row)) : [];
      });
    },

    listDatasets: (): DatasetSummary[] => store.datasets().map(toSummary),

    examplesPage(input: ExamplesPageInput): ExamplesPage {
      const { taskId, split, offset, limit, search } = parseInput(ExamplesPageInputSchema, input);
      registry.get(taskId);
      const { items, total } = store.page({ taskId, split, offset, limit, search: search || undefined });
      return { items, total, nextOffset: offset + items.length < total ? offset + items.length : null };
    },

    /** The user's own file: one transaction; the same file twice changes nothing. */
    importUserData(rawInput: DatasetImportInput): ImportReport {
      const input = parseInput(DatasetImportInputSchema, rawInput);
      if (registry.isBuiltin(input.taskId)) {
        throw new DomainError(
          'CONFLICT',
          `task id "${input.taskId}" belongs to a built-in task: choose another id`,
        );
      }
      const bytes = Buffer.from(input.content, 'utf8');
      assertWithinLimit(input.fileName, bytes.length, maxBytes);
      const output = userDrafts({ name: input.fileName, bytes }, input);
      const spec = userTaskSpec(input, output.drafts);
      const { content: _content, ...settings } = input;
      const contentHash = stableHash({ v: IMPORTER_VERSION, sha256: sha256Hex(bytes), settings });
      return storeIfChanged({
        store,
        now,
        spec,
        record: {
          taskId: spec.id,
          domain: spec.domain,
          origin: 'import',
          files: [{ path: input.fileName, sha256: sha256Hex(bytes) }],
          contentHash,
        },
        prepare: () => prepareDataset(spec, output),
        userSpec: spec,
      });
    },

    async fetch(rawInput: FetchInput): Promise<FetchReport> {
      const input = parseInput(FetchInputSchema, rawInput);
      const tasks = selectTasks(registry, input);
      const assets = selectAssets(input.all === true, tasks);
      return fetchTasks(deps(input.from ?? options.sharedDatasetsDir), tasks, assets);
    },

    /** What the admin app needs to offer a fetch: the local folder (if any) and the fetchable domains. */
    fetchSources(): FetchSources {
      const localDir =
        options.sharedDatasetsDir === undefined ? null : path.resolve(options.sharedDatasetsDir);
      const catalogDomains = new Set(
        registry
          .builtin()
          .filter((task) => task.kind === 'catalog')
          .map((task) => task.spec.domain),
      );
      return {
        localDir,
        localDirFound: localDir !== null && fs.existsSync(localDir),
        catalogDomains: [...catalogDomains].sort(),
      };
    },

    /** The reference protocol's files (empty or null until fetched). */
    protocol: {
      systemPrompts: () => protocol.systemPrompts(),
      unseenUserPrompts: (taskId: string) => protocol.unseenUserPrompts(taskId),
      componentCorpus: () => protocol.componentCorpus(),
    },

    /** Row counts, for tests and `datasets list` totals. */
    counts: () => store.counts(),
    close: () => database.close(),
  };
}

export type DatasetsService = ReturnType<typeof createDatasetsService>;
