import {
  type DatasetsClient,
  type ExperimentPlan,
  ExperimentPlanOptionsSchema,
  type LlmClient,
  type RunConfig,
  type RunConfigInput,
} from '@metaspo/schemas';
import { parseRunConfig } from '../config.js';
import { resolveTaskIds } from '../tasks.js';
import type { GridCell } from './grid.js';
import { planCells } from './plan.js';
import type { PlanSettings } from './plan-requests.js';

/**
 * One training run as the single cell of an experiment, with the default plan options (latency,
 * output-token estimates): what `planRun` plans, and what a test plans one phase of.
 */
export function runAsPlanCell(
  config: RunConfig,
  metaTrainTasks: string[],
): { settings: PlanSettings; cell: GridCell } {
  const name = config.name ?? config.method;
  return {
    settings: {
      methods: [],
      baseModel: config.baseModel,
      optimizerModel: config.optimizerModel,
      concurrency: config.concurrency,
      plan: ExperimentPlanOptionsSchema.parse({}),
    },
    cell: {
      key: `${name}/train/${config.method}`,
      kind: 'train',
      domain: { name, metaTrainTasks, metaTestTasks: [] },
      seed: config.seed,
      method: config.method,
      config,
    },
  };
}

/** The plan of one run (`metaspo train --plan`). Calls no model. */
export async function planRun(
  input: string | RunConfigInput,
  clients: { llm: LlmClient; datasets: DatasetsClient },
): Promise<ExperimentPlan> {
  const config = parseRunConfig(input);
  const metaTrainTasks = await resolveTaskIds(clients.datasets, config.metaTrainTasks, 'train');
  const { settings, cell } = runAsPlanCell(config, metaTrainTasks);
  return planCells(settings, clients, [cell]);
}
