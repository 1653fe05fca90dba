import { type DomainSplit, type TaskSpec, TaskSpecSchema } from '@metaspo/schemas';
import { DomainError } from '@metaspo/service-kit';
import { CATALOG_TASKS, type CatalogTask, PAPER_DOMAIN_SPLITS, UNAVAILABLE_TASKS } from './catalog/index.js';
import type { ProceduralCatalog, ProceduralTask } from './procedural-catalog.js';
import type { Store } from './store.js';

export type ResolvedTask =
  | { kind: 'catalog'; spec: TaskSpec; catalog: CatalogTask }
  | { kind: 'procedural'; spec: TaskSpec; procedural: ProceduralTask }
  | { kind: 'unavailable'; spec: TaskSpec }
  | { kind: 'user'; spec: TaskSpec };

/** Built-in tasks (catalog, unavailable, procedural) plus the user's imported tasks. */
export function createTaskRegistry(store: Store, procedural: ProceduralCatalog) {
  const builtin = new Map<string, ResolvedTask>();
  for (const catalog of CATALOG_TASKS)
    builtin.set(catalog.spec.id, { kind: 'catalog', spec: catalog.spec, catalog });
  for (const spec of UNAVAILABLE_TASKS) builtin.set(spec.id, { kind: 'unavailable', spec });
  for (const task of procedural.tasks) {
    const spec = TaskSpecSchema.parse(task.spec);
    if (builtin.has(spec.id)) throw new Error(`procedural task id ${spec.id} collides with a catalog task`);
    builtin.set(spec.id, { kind: 'procedural', spec, procedural: task });
  }
  const domainSplits: DomainSplit[] =
    procedural.tasks.length > 0
      ? [
          ...PAPER_DOMAIN_SPLITS,
          { domain: 'procedural', train: procedural.split.train, test: procedural.split.test },
        ]
      : PAPER_DOMAIN_SPLITS;

  return {
    builtin: () => [...builtin.values()],
    isBuiltin: (id: string) => builtin.has(id),

    find(id: string): ResolvedTask | undefined {
      const found = builtin.get(id);
      if (found) return found;
      const user = store.userTask(id);
      return user ? { kind: 'user', spec: user.spec } : undefined;
    },

    get(id: string): ResolvedTask {
      const found = this.find(id);
      if (!found) throw new DomainError('NOT_FOUND', `task "${id}" not found: see \`metaspo datasets list\``);
      return found;
    },

    list(domain?: string): TaskSpec[] {
      const all = [...[...builtin.values()].map((t) => t.spec), ...store.userTasks().map((u) => u.spec)];
      return domain === undefined ? all : all.filter((spec) => spec.domain === domain);
    },

    domainSplit(domain: string): DomainSplit {
      const split = domainSplits.find((s) => s.domain === domain);
      if (!split) {
        throw new DomainError(
          'NOT_FOUND',
          `domain "${domain}" has no default split (known: ${domainSplits.map((s) => s.domain).join(', ')})`,
        );
      }
      return split;
    },
  };
}

export type TaskRegistry = ReturnType<typeof createTaskRegistry>;
