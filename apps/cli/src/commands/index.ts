import type { Command } from 'commander';
import { registerBenchAllCommands } from './bench-all.js';
import { registerBenchEvaluatorCommands } from './bench-evaluator.js';
import { registerBenchGatewayCommands } from './bench-gateway.js';
import { registerBenchLiveCommands } from './bench-live.js';
import { registerBenchOptimizerCommands } from './bench-optimizer.js';
import { registerBenchRacingCommands } from './bench-racing.js';
import { registerBenchRacingAdaptCommands } from './bench-racing-adapt.js';
import { registerBenchSimCommands } from './bench-sim.js';
import { registerDatasetsCommands } from './datasets.js';
import { registerDemoCommands } from './demo.js';
import { registerEvalCommands } from './eval.js';
import { registerExperimentCommands } from './experiment.js';
import { registerLlmCommands } from './llm.js';
import { registerMetaTestCommands } from './meta-test.js';
import { registerModelsCommands } from './models.js';
import { registerRunsCommands } from './runs.js';
import { registerScoreCommands } from './score.js';
import { registerServeCommands } from './serve.js';
import { registerSimCommands } from './sim.js';
import { registerTrainCommands } from './train.js';

/** Every command group registers itself here, one line each, in the order a newcomer meets them. */
export function registerCommands(program: Command): void {
  registerDemoCommands(program);
  registerTrainCommands(program);
  registerRunsCommands(program);
  registerMetaTestCommands(program);
  registerExperimentCommands(program);
  registerDatasetsCommands(program);
  registerEvalCommands(program);
  registerScoreCommands(program);
  registerLlmCommands(program);
  registerModelsCommands(program);
  registerServeCommands(program);
  registerSimCommands(program);
  registerBenchAllCommands(program);
  registerBenchSimCommands(program);
  registerBenchGatewayCommands(program);
  registerBenchEvaluatorCommands(program);
  registerBenchOptimizerCommands(program);
  registerBenchLiveCommands(program);
  registerBenchRacingCommands(program);
  registerBenchRacingAdaptCommands(program);
}
