import type {
  Budget,
  CreatedRun,
  DeleteResult,
  MetaTestRecord,
  MetaTestStartInput,
  RunConfigInput,
  RunRecord,
} from '@metaspo/schemas';
import { DomainError } from '@metaspo/service-kit';
import type { MetaTestManager } from '../meta-test/meta-test-manager.js';
import type { MetaTestStore } from '../meta-test/meta-test-store.js';
import type { RunManager } from '../runs/run-manager.js';
import type { RunStore } from '../store/run-store.js';
import { type MetaTestPreflightResult, preflightMetaTest } from './meta-test-preflight.js';
import type { PreflightPorts } from './ports.js';
import {
  assertPreflight,
  type PreflightResult,
  preflightInputOf,
  preflightRun,
  refusalOf,
} from './validate.js';

/**
 * The service operations that check before they act: the router's `runs.create`, `runs.start`
 * and `metaTests.start` go through these, so "valid" in `runs.validateConfig` means it starts.
 * The service's own `createRun`/`startRun` stay unchecked and synchronous (tests, the bench).
 */
export interface CheckedOperations {
  /** `runs.validateConfig`: YAML text or a config object, resolved against the services. */
  preflightRun(input: { yaml: string } | { config: unknown }): Promise<PreflightResult>;
  /** Refuses (INVALID_INPUT, every issue with its path) before any run row exists. */
  createCheckedRun(input: {
    config: string | RunConfigInput;
    name?: string | undefined;
  }): Promise<CreatedRun>;
  /** Runs the same preflight on the stored config, then starts it. */
  startCheckedRun(id: string): Promise<RunRecord>;
  /** The same preflight before a resume, so a run whose config cannot start is not retried blind. */
  resumeCheckedRun(id: string, budget?: Budget): Promise<RunRecord>;
  /** Removes a stopped run with its nodes, steps and events; a running one is refused. */
  deleteRun(id: string): DeleteResult;
  validateMetaTest(input: MetaTestStartInput): Promise<MetaTestPreflightResult>;
  startCheckedMetaTest(input: MetaTestStartInput): Promise<MetaTestRecord>;
  /** Removes a stopped meta-test; a running one is refused. */
  deleteMetaTest(id: string): DeleteResult;
}

export function createCheckedOperations(deps: {
  ports: PreflightPorts;
  store: RunStore;
  runs: RunManager;
  metaTests: MetaTestManager;
  metaTestStore: MetaTestStore;
}): CheckedOperations {
  const { ports, store, runs, metaTests, metaTestStore } = deps;
  return {
    preflightRun: (input) => preflightRun(ports, input),
    async createCheckedRun(input) {
      const preflight = await preflightRun(ports, preflightInputOf(input.config));
      assertPreflight(preflight, 'the run cannot start');
      return { ...runs.create(input), warnings: preflight.warnings };
    },
    async startCheckedRun(id) {
      const run = runs.get(id);
      if (run.status === 'created') {
        assertPreflight(await preflightRun(ports, { config: run.config }), `run ${id} cannot start`);
      }
      return runs.start(id);
    },
    async resumeCheckedRun(id, budget) {
      const run = runs.get(id);
      assertPreflight(await preflightRun(ports, { config: run.config }), `run ${id} cannot resume`);
      return runs.resume(id, budget);
    },
    deleteRun(id) {
      const run = runs.get(id);
      if (run.status === 'running' || runs.isActive(id)) {
        throw new DomainError(
          'CONFLICT',
          `run ${id} is running: cancel it first (runs.cancel), then delete it`,
        );
      }
      return { id, deleted: true, ...store.deleteRun(id) };
    },
    validateMetaTest: (input) => preflightMetaTest(ports, store, input),
    async startCheckedMetaTest(input) {
      const outcome = await preflightMetaTest(ports, store, input);
      if (!outcome.ok) throw refusalOf('the meta-test cannot start', outcome.issues);
      return metaTests.start(input);
    },
    deleteMetaTest(id) {
      const record = metaTests.get(id);
      if (record.status === 'running') {
        throw new DomainError(
          'CONFLICT',
          `meta-test ${id} is running: cancel it first (metaTests.cancel), then delete it`,
        );
      }
      metaTestStore.delete(id);
      return { id, deleted: true, nodes: 0, events: 0 };
    },
  };
}
