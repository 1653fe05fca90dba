import type {
  Budget,
  EvaluatorClient,
  MetaTestRecord,
  MetaTestStartInput,
  NodeRecord,
  Race,
  RunConfigInput,
  RunEvent,
  RunExport,
  RunRecord,
  RunStatus,
  ValidateConfigResult,
} from '@metaspo/schemas';
import { type Logger, linkSignals } from '@metaspo/service-kit';
import { validateRunConfigYaml } from './config.js';
import { createExperimentService, type ExperimentService } from './experiments/service.js';
import { MetaTestManager } from './meta-test/meta-test-manager.js';
import { MetaTestStore } from './meta-test/meta-test-store.js';
import { type CheckedOperations, createCheckedOperations } from './preflight/checked-operations.js';
import type { PreflightDatasets, PreflightLlm } from './preflight/ports.js';
import { buildRunExport } from './runs/export.js';
import { storedRaces } from './runs/races.js';
import { RunManager } from './runs/run-manager.js';
import { openOptimizerDatabase } from './store/database.js';
import { EventLog } from './store/event-log.js';
import { Leases, type LeaseTiming, leaseTimingFromEnv } from './store/leases.js';
import { RunStore } from './store/run-store.js';

export interface OptimizerServiceOptions {
  /** SQLite file of runs, nodes, events and meta-tests, or ':memory:'. */
  databaseFile: string;
  /** The gateway; its `checkModels` (optional on the port) lets preflight check model references. */
  llm: PreflightLlm;
  evaluator: EvaluatorClient;
  /** The registry; its `datasets.list` (optional on the port) lets preflight check sizes. */
  datasets: PreflightDatasets;
  logger?: Logger | undefined;
  /**
   * Heartbeat and expiry of the leases that give each run and meta-test one executing process
   * (default 2 s / 10 s, or METASPO_LEASE_HEARTBEAT_MS / METASPO_LEASE_EXPIRY_MS).
   */
  leaseTiming?: Partial<LeaseTiming> | undefined;
}

export interface OptimizerService extends CheckedOperations {
  createRun(input: { config: string | RunConfigInput; name?: string | undefined }): RunRecord;
  /** Starts a created run in the background; returns at once with status 'running'. */
  startRun(id: string): RunRecord;
  getRun(id: string): RunRecord;
  listRuns(filter?: { status?: RunStatus | undefined; limit?: number | undefined }): RunRecord[];
  /** Aborts queued and in-flight calls; the run stays resumable. */
  cancelRun(id: string): Promise<RunRecord>;
  /** Continues a stopped or interrupted run (optionally with a new budget) in the background. */
  resumeRun(id: string, budget?: Budget): RunRecord;
  /** Resolves when the run's background execution ends. */
  waitForRun(id: string): Promise<RunRecord>;
  exportRun(id: string): Promise<RunExport>;
  /** The rounds of the run's races (empty for a run that does not race). */
  runRaces(id: string): Race[];
  validateConfig(yaml: string): ValidateConfigResult;
  listNodes(runId: string): NodeRecord[];
  /** Stored events after `afterSeq`, then live ones until `signal` aborts or the service closes. */
  events(runId: string, afterSeq?: number, signal?: AbortSignal): AsyncGenerator<RunEvent>;
  startMetaTest(input: MetaTestStartInput): Promise<MetaTestRecord>;
  /** Runs a stopped meta-test again under its id; computed requests replay from the cache. */
  resumeMetaTest(id: string, budget?: Budget): Promise<MetaTestRecord>;
  getMetaTest(id: string): MetaTestRecord;
  /** Stops a running meta-test (queued work refused, in-flight calls cancelled); resumable. */
  cancelMetaTest(id: string): Promise<MetaTestRecord>;
  listMetaTests(runId?: string): MetaTestRecord[];
  waitForMetaTest(id: string): Promise<MetaTestRecord>;
  /** Experiments: grids of runs and meta-tests with one plan and one budget (experiments/). */
  readonly experiments: ExperimentService;
  /** Pauses running runs at their last persisted step, stops meta-tests, closes the database. */
  close(): Promise<void>;
}

export function createOptimizerService(options: OptimizerServiceOptions): OptimizerService {
  const database = openOptimizerDatabase(options.databaseFile);
  const leases = new Leases(database.sqlite, {
    timing: options.leaseTiming ?? leaseTimingFromEnv(process.env),
    logger: options.logger,
  });
  const store = new RunStore(database);
  const events = new EventLog(database);
  const clients = { llm: options.llm, evaluator: options.evaluator, datasets: options.datasets };
  const runs = new RunManager(store, events, clients, options.logger, leases);
  const metaTestStore = new MetaTestStore(database);
  const metaTests = new MetaTestManager(metaTestStore, store, clients, leases, options.logger);
  const checked = createCheckedOperations({
    ports: { llm: options.llm, datasets: options.datasets },
    store,
    runs,
    metaTests,
    metaTestStore,
  });
  const experiments = createExperimentService({
    database,
    ports: {
      createRun: (input) => runs.create(input),
      startRun: (id) => runs.start(id),
      resumeRun: (id, budget) => runs.resume(id, budget),
      cancelRun: (id) => runs.cancel(id),
      getRun: (id) => store.getRun(id),
      waitForRun: (id) => runs.wait(id),
      startMetaTest: (input) => metaTests.start(input),
      resumeMetaTest: (id) => metaTests.resume(id),
      getMetaTest: (id) => metaTests.get(id),
      waitForMetaTest: (id) => metaTests.wait(id),
    },
    clients,
    logger: options.logger,
    leases,
  });
  const closing = new AbortController();
  let closed = false;

  return {
    ...checked,
    createRun: (input) => runs.create(input),
    startRun: (id) => runs.start(id),
    getRun: (id) => runs.get(id),
    listRuns: (filter = {}) => runs.list({ status: filter.status, limit: filter.limit ?? 100 }),
    cancelRun: (id) => runs.cancel(id),
    resumeRun: (id, budget) => runs.resume(id, budget),
    waitForRun: (id) => runs.wait(id),
    exportRun: (id) => buildRunExport(store, options.llm, id),
    runRaces: (id) => {
      store.getRun(id);
      return storedRaces(store, id);
    },
    validateConfig: (yaml) => {
      const { ok, issues } = validateRunConfigYaml(yaml);
      return { ok, issues };
    },
    listNodes: (runId) => runs.nodes(runId),
    events: (runId, afterSeq = -1, signal) =>
      runs.followEvents(runId, afterSeq, linkSignals(closing.signal, signal)),
    startMetaTest: (input) => metaTests.start(input),
    resumeMetaTest: (id, budget) => metaTests.resume(id, budget),
    getMetaTest: (id) => metaTests.get(id),
    cancelMetaTest: (id) => metaTests.cancel(id),
    listMetaTests: (runId) => metaTests.list(runId),
    waitForMetaTest: (id) => metaTests.wait(id),
    experiments,
    async close() {
      if (closed) return;
      closed = true;
      await experiments.close();
      await Promise.all([runs.pauseAll(), metaTests.cancelAll()]);
      leases.releaseAll();
      closing.abort();
      database.close();
    },
  };
}
