import type { NodeRecord, RunCalls, RunProgress } from '@metaspo/schemas';
import type { EventLog, NewRunEvent } from '../store/event-log.js';
import type { NewNode, NodeCalls, RunStore, StoredNode } from '../store/run-store.js';

export type EventBody = NewRunEvent extends infer E
  ? E extends NewRunEvent
    ? Omit<E, 'runId'>
    : never
  : never;

/**
 * Where the algorithm records its steps. Runs persist them in SQLite (and publish events) so
 * that a resumed run skips them; meta-tests keep them in memory.
 */
export interface StepStore {
  findNode(stepKey: string): StoredNode | null;
  insertNode(node: NewNode): StoredNode;
  updateNode(
    id: string,
    patch: Partial<Pick<NodeRecord, 'trainScore' | 'testScore' | 'evaluationIds'>>,
    calls: NodeCalls,
  ): void;
  getStep<T>(key: string): T | null;
  putStepOnce(key: string, value: unknown): boolean;
  emit(event: EventBody): void;
  progress(progress: RunProgress): void;
  callTotals(): RunCalls;
}

/** Nodes of a run, persisted; the run's stored nodes are indexed in memory once per execution. */
export function runStepStore(runId: string, store: RunStore, events: EventLog): StepStore {
  const byKey = new Map(store.listNodes(runId).map((node) => [node.stepKey, node]));
  const keyById = new Map([...byKey.values()].map((node) => [node.id, node.stepKey]));
  return {
    findNode: (stepKey) => byKey.get(stepKey) ?? null,
    insertNode: (node) => {
      const stored = store.insertNode(runId, node);
      byKey.set(stored.stepKey, stored);
      keyById.set(stored.id, stored.stepKey);
      return stored;
    },
    updateNode: (id, patch, calls) => {
      store.updateNode(id, patch, calls);
      const key = keyById.get(id);
      const node = key === undefined ? undefined : byKey.get(key);
      if (key !== undefined && node) byKey.set(key, { ...node, ...patch });
    },
    getStep: (key) => store.getStep(runId, key),
    putStepOnce: (key, value) => store.putStepOnce(runId, key, value),
    emit: (event) => events.append({ ...event, runId } as NewRunEvent),
    progress: (progress) => {
      store.updateRun(runId, { progress });
      events.append({ runId, type: 'progress', progress });
    },
    callTotals: () => store.callTotals(runId),
  };
}

const ZERO_CALLS: RunCalls = { baseTrain: 0, baseTest: 0, optimizer: 0, optimizerRetries: 0, cached: 0 };

export function memoryStepStore(runId: string): StepStore {
  const nodes = new Map<string, StoredNode>();
  const keyById = new Map<string, string>();
  const steps = new Map<string, unknown>();
  const totals: RunCalls = { ...ZERO_CALLS };
  const add = (calls: NodeCalls) => {
    totals.baseTrain += calls.baseTrainCalls ?? 0;
    totals.baseTest += calls.baseTestCalls ?? 0;
    totals.optimizer += calls.optimizerCalls ?? 0;
    totals.optimizerRetries += calls.optimizerRetries ?? 0;
    totals.cached += calls.cachedCalls ?? 0;
  };
  return {
    findNode: (stepKey) => nodes.get(stepKey) ?? null,
    insertNode: (node) => {
      const { baseTrainCalls, baseTestCalls, optimizerCalls, optimizerRetries, cachedCalls, ...record } =
        node;
      add(node);
      const stored: StoredNode = { ...record, runId, createdAt: new Date().toISOString() };
      nodes.set(node.stepKey, stored);
      keyById.set(node.id, node.stepKey);
      return stored;
    },
    updateNode: (id, patch, calls) => {
      const key = keyById.get(id);
      const node = key === undefined ? undefined : nodes.get(key);
      if (!node || key === undefined) throw new Error(`node ${id} is not in this step store`);
      nodes.set(key, { ...node, ...patch });
      add(calls);
    },
    getStep: <T>(key: string) => (steps.get(key) as T | undefined) ?? null,
    putStepOnce: (key, value) => {
      if (steps.has(key)) return false;
      steps.set(key, value);
      return true;
    },
    emit: () => {},
    progress: () => {},
    callTotals: () => ({ ...totals }),
  };
}
