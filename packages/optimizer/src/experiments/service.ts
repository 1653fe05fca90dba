import type {
  Budget,
  ExperimentEvent,
  ExperimentPlan,
  ExperimentRecord,
  ExperimentReport,
  RunConfigInput,
  ValidateConfigResult,
} from '@metaspo/schemas';
import type { Logger } from '@metaspo/service-kit';
import type { OptimizerDatabase } from '../store/database.js';
import type { Leases } from '../store/leases.js';
import { validateExperimentConfig } from './config.js';
import { ExperimentManager } from './manager.js';
import { planRun } from './plan-run.js';
import type { ExperimentClients, ExperimentRunPorts } from './ports.js';
import { buildExperimentReport } from './report.js';
import { ExperimentStore } from './store.js';

/** Experiments as the optimizer service exposes them (router `optimizer.experiments.*`). */
export interface ExperimentService {
  /** Field and line of every problem of an experiment config (YAML text or object). */
  validate(config: string | Record<string, unknown>): ValidateConfigResult;
  /** Requests, tokens, cost, wall time and cached requests per cell, phase and model; calls no model. */
  plan(config: string | Record<string, unknown>): Promise<ExperimentPlan>;
  /** The plan of a single run config (YAML or object), as a one-cell experiment. */
  planRun(config: string | RunConfigInput): Promise<ExperimentPlan>;
  /** Stores the experiment with its plan; nothing runs until `start`. */
  create(config: string | Record<string, unknown>): Promise<ExperimentRecord>;
  start(id: string): ExperimentRecord;
  resume(id: string, budget?: Budget): ExperimentRecord;
  cancel(id: string): Promise<ExperimentRecord>;
  get(id: string): ExperimentRecord;
  list(limit?: number): ExperimentRecord[];
  wait(id: string): Promise<ExperimentRecord>;
  events(id: string, signal?: AbortSignal): AsyncGenerator<ExperimentEvent>;
  /** The report data (tables with bootstrap intervals, adaptation curves, cost, figure specs). */
  report(id: string): Promise<ExperimentReport>;
  /** Stops running experiments (resumable) before the service closes. */
  close(): Promise<void>;
}

export function createExperimentService(options: {
  database: OptimizerDatabase;
  ports: ExperimentRunPorts;
  clients: ExperimentClients;
  logger?: Logger | undefined;
  leases?: Leases | undefined;
}): ExperimentService {
  const store = new ExperimentStore(options.database);
  const manager = new ExperimentManager(
    store,
    options.ports,
    options.clients,
    options.logger,
    options.leases,
  );
  return {
    validate: (config) => {
      const { ok, issues } = validateExperimentConfig(config);
      return { ok, issues };
    },
    plan: (config) => manager.plan(config),
    planRun: (config) => planRun(config, options.clients),
    create: (config) => manager.create(config),
    start: (id) => manager.start(id),
    resume: (id, budget) => manager.resume(id, budget),
    cancel: (id) => manager.cancel(id),
    get: (id) => manager.get(id),
    list: (limit) => manager.list(limit),
    wait: (id) => manager.wait(id),
    events: (id, signal) => manager.events(id, signal),
    report: (id) => buildExperimentReport(manager.get(id), options.ports, options.clients),
    close: () => manager.cancelAll(),
  };
}
