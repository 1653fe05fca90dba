import type { DatasetsClient, TaskSelection, TaskSpec } from '@metaspo/schemas';
import { invalidInput } from '@metaspo/service-kit';

/** Task ids of a selection: the list itself, or a domain's default meta-train or meta-test set. */
export async function resolveTaskIds(
  datasets: DatasetsClient,
  selection: TaskSelection,
  set: 'train' | 'test',
  signal?: AbortSignal,
): Promise<string[]> {
  if (Array.isArray(selection)) return selection;
  const split = await datasets.domains.get.query({ domain: selection }, signal ? { signal } : undefined);
  const ids = set === 'train' ? split.train : split.test;
  if (ids.length === 0) throw invalidInput(`domain "${selection}" has no meta-${set} tasks`);
  return ids;
}

export async function loadTasks(
  datasets: DatasetsClient,
  ids: readonly string[],
  signal?: AbortSignal,
): Promise<TaskSpec[]> {
  const tasks = await Promise.all(
    ids.map((id) => datasets.tasks.get.query({ id }, signal ? { signal } : undefined)),
  );
  const unavailable = tasks.filter((t) => !t.available);
  if (unavailable.length > 0) {
    throw invalidInput(
      `tasks not available: ${unavailable.map((t) => `${t.id}${t.unavailableReason ? ` (${t.unavailableReason})` : ''}`).join(', ')}`,
    );
  }
  return tasks;
}
