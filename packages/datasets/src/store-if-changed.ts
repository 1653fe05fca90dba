import type { ImportReport, TaskSpec } from '@metaspo/schemas';
import type { PreparedDataset } from './pipeline.js';
import type { DatasetRecord, Store } from './store.js';

export interface StoreIfChangedInput {
  store: Store;
  now: () => Date;
  spec: TaskSpec;
  record: Omit<DatasetRecord, 'recordsRead' | 'skipped' | 'splitMethod'>;
  /** Runs only when the content hash differs from what is stored. */
  prepare: () => PreparedDataset;
  /** A user task keeps its spec beside its data; built-in specs live in the catalog. */
  userSpec: TaskSpec | null;
}

/**
 * Replaces a task's examples in one transaction, unless the stored content hash is the same:
 * importing the same thing twice changes nothing and reports `unchanged`.
 */
export function storeIfChanged(input: StoreIfChangedInput): ImportReport {
  const { store, spec, record } = input;
  const existing = store.dataset(spec.id);
  if (existing && existing.contentHash === record.contentHash) {
    return {
      taskId: spec.id,
      status: 'unchanged',
      recordsRead: existing.recordsRead,
      counts: { train: existing.trainCount, test: existing.testCount },
      skipped: existing.skipped,
      splitMethod: existing.splitMethod,
    };
  }
  const prepared = input.prepare();
  store.replaceDataset(
    {
      ...record,
      recordsRead: prepared.recordsRead,
      skipped: prepared.skipped,
      splitMethod: prepared.splitMethod,
    },
    prepared.rows,
    input.userSpec,
    input.now().toISOString(),
  );
  return {
    taskId: spec.id,
    status: existing ? 'replaced' : 'imported',
    recordsRead: prepared.recordsRead,
    counts: prepared.counts,
    skipped: prepared.skipped,
    splitMethod: prepared.splitMethod,
  };
}
