import {
  type DatasetsClient,
  type ExperimentCellKind,
  type ExperimentConfig,
  type ExperimentMethod,
  FIXED_EXPERIMENT_METHODS,
  type RunConfig,
  RunConfigSchema,
  TRAINED_EXPERIMENT_METHODS,
  type TrainedExperimentMethod,
} from '@metaspo/schemas';
import { resolveTaskIds } from '../tasks.js';
import { cellRunConfig } from './config.js';

/** A domain of the experiment with its task sets resolved to ids. */
export interface GridDomain {
  name: string;
  metaTrainTasks: string[];
  metaTestTasks: string[];
}

/**
 * One unit of work, in execution order: a training run of one method, or a meta-test carrying
 * every method's system prompt, for one domain and seed. `config` is the run config the cell
 * uses (a meta-test's is that of the run it is linked to, or the first trained method's shape).
 */
export interface GridCell {
  key: string;
  kind: ExperimentCellKind;
  domain: GridDomain;
  seed: number;
  /** A train cell's method; for a meta-test, the trained method whose run it links to (or null). */
  method: RunConfig['method'] | null;
  config: RunConfig;
}

const isTrained = (m: ExperimentMethod): m is TrainedExperimentMethod =>
  (TRAINED_EXPERIMENT_METHODS as readonly string[]).includes(m);
export const isFixed = (m: ExperimentMethod): boolean =>
  (FIXED_EXPERIMENT_METHODS as readonly string[]).includes(m);

export async function resolveDomains(
  datasets: DatasetsClient,
  config: ExperimentConfig,
  signal?: AbortSignal,
): Promise<GridDomain[]> {
  return Promise.all(
    config.domains.map(async (domain) =>
      typeof domain === 'string'
        ? {
            name: domain,
            metaTrainTasks: await resolveTaskIds(datasets, domain, 'train', signal),
            metaTestTasks: await resolveTaskIds(datasets, domain, 'test', signal),
          }
        : { name: domain.name, metaTrainTasks: domain.metaTrainTasks, metaTestTasks: domain.metaTestTasks },
    ),
  );
}

/**
 * The meta-test overrides an experiment passes: with a linked run the meta-test inherits that
 * run's whole config; without one (fixed methods only) only these fields reach it.
 */
export function metaTestOverrides(config: RunConfig) {
  return {
    scoring: config.scoring,
    trainSize: config.trainSize,
    testSize: config.testSize,
    iterations: config.adaptIterations,
    beamSize: config.beamSize,
    unseenUserPrompts: config.unseenUserPrompts,
    baseModel: config.baseModel,
    optimizerModel: config.optimizerModel,
    seed: config.seed,
    concurrency: config.concurrency,
    execution: config.execution,
  };
}

/** What a meta-test without a linked run computes with: the defaults and the overrides. */
function unlinkedMetaTestConfig(full: RunConfig, domain: GridDomain): RunConfig {
  const o = metaTestOverrides(full);
  return RunConfigSchema.parse({
    metaTrainTasks: domain.metaTestTasks,
    metaTestTasks: domain.metaTestTasks,
    scoring: o.scoring,
    trainSize: o.trainSize,
    testSize: o.testSize,
    adaptIterations: o.iterations,
    beamSize: o.beamSize,
    unseenUserPrompts: o.unseenUserPrompts,
    baseModel: o.baseModel,
    optimizerModel: o.optimizerModel,
    seed: o.seed,
    concurrency: o.concurrency,
    execution: o.execution,
  });
}

/** Every cell of the grid: per domain and seed, the trained methods in order, then the meta-tests. */
export function gridCells(config: ExperimentConfig, domains: readonly GridDomain[]): GridCell[] {
  const trained = config.methods.filter(isTrained);
  const cells: GridCell[] = [];
  for (const domain of domains) {
    for (const seed of config.seeds) {
      const base = `${domain.name}/s${seed}`;
      const configOf = (method: RunConfig['method'], name: string) =>
        cellRunConfig(
          config,
          { method, seed, metaTrainTasks: domain.metaTrainTasks, metaTestTasks: domain.metaTestTasks },
          name,
        );
      for (const method of trained) {
        const key = `${base}/train/${method}`;
        cells.push({
          key,
          kind: 'train',
          domain,
          seed,
          method,
          config: configOf(method, `${config.name} ${key}`),
        });
      }
      const linked = trained[0] ?? null;
      for (const protocol of config.protocols) {
        const key = `${base}/${protocol}`;
        cells.push({
          key,
          kind: protocol,
          domain,
          seed,
          method: linked,
          config: linked
            ? configOf(linked, `${config.name} ${key}`)
            : unlinkedMetaTestConfig(configOf('metaspo', key), domain),
        });
      }
    }
  }
  return cells;
}
