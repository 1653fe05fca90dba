import type { ExperimentPhase, ExperimentPlanRow, ModelPrice, RunConfig } from '@metaspo/schemas';
import { racesProtegiLevels, racesSystemCandidates, racesUserCandidates } from '@metaspo/schemas';
import { bilevelIterations } from '../call-count.js';
import { roundSizes } from '../engine/racing-schedule.js';
import type { GridCell } from './grid.js';

/**
 * What a plan row is sent and priced as. Base-model evaluations of a cell run with
 * `execution: batch` go through the provider's batch API unless the gateway says the model has
 * none (then it sends them live: docs/optimizer.md, Batch execution); optimizer requests are on
 * the critical path and always live. Without a `prices` answer the config is taken at its word.
 */
export function rowExecution(
  cell: GridCell,
  role: 'base' | 'optimizer',
  price: ModelPrice | undefined,
): ExperimentPlanRow['execution'] {
  if (role === 'optimizer' || cell.config.execution !== 'batch') return 'live';
  return price?.batchApi === false ? 'live' : 'batch';
}

/** A loop's waves: a race scores its candidates in rounds, each waiting on the one before. */
const loopWaves = (config: RunConfig, races: boolean) => (races ? roundSizes(config.trainSize).length : 1);

/** Waves of the bilevel loop's meta-train phase: initial scoring, then inner and outer loops. */
function bilevelWaves(config: RunConfig): number {
  const inner = config.method === 'outer-loop' ? 0 : loopWaves(config, racesUserCandidates(config));
  const outer = loopWaves(config, racesSystemCandidates(config));
  return 1 + bilevelIterations(config) * (inner + outer);
}

/** ProTeGi: the root on train, then one expansion per level (adaptIterations + 1), raced or not. */
const protegiTrainWaves = (config: RunConfig, races: boolean) =>
  1 + (config.adaptIterations + 1) * loopWaves(config, races);

/** Waves of a training run's meta-train phase (its test phase is one more). */
function trainWaves(config: RunConfig): number {
  switch (config.method) {
    case 'metaspo':
    case 'metaspo-ape':
    case 'outer-loop':
      return bilevelWaves(config);
    case 'sprig':
      return 1 + config.iterations;
    case 'protegi':
      return protegiTrainWaves(config, racesProtegiLevels(config));
    case 'ape':
      // The initial prompt, the proposals, the resamples of the best.
      return 3;
  }
}

/**
 * The waves of batches one phase of a cell waits on one after another: a wave is the batch
 * requests that do not depend on each other's answers (they are gathered into provider batches
 * that run side by side), the next wave needs its answers (the candidates of the next loop are
 * written from them). Each wave costs one batch turnaround, whatever its size.
 */
export function batchWaves(cell: GridCell, phase: ExperimentPhase): number {
  switch (phase) {
    case 'meta-train':
      return trainWaves(cell.config);
    case 'meta-train-test':
    case 'unseen':
      return 1;
    case 'adapt':
      // Every search's tests wait for its last level: one more wave.
      return protegiTrainWaves(cell.config, racesProtegiLevels(cell.config)) + 1;
  }
}
