import {
  type DatasetsClient,
  type ExperimentPlan,
  ExperimentPlanOptionsSchema,
  type LlmClient,
  type RunConfigInput,
} from '@metaspo/schemas';
import { parseRunConfig } from '../config.js';
import { resolveTaskIds } from '../tasks.js';
import { planCells } from './plan.js';

/**
 * The plan of one run (`metaspo train --plan`): the run as a one-cell experiment, with the
 * default plan options (latency, output-token estimates). Calls no model.
 */
export async function planRun(
  input: string | RunConfigInput,
  clients: { llm: LlmClient; datasets: DatasetsClient },
): Promise<ExperimentPlan> {
  const config = parseRunConfig(input);
  const metaTrainTasks = await resolveTaskIds(clients.datasets, config.metaTrainTasks, 'train');
  const name = config.name ?? config.method;
  const cell = {
    key: `${name}/train/${config.method}`,
    kind: 'train' as const,
    domain: { name, metaTrainTasks, metaTestTasks: [] },
    seed: config.seed,
    method: config.method,
    config,
  };
  const settings = {
    methods: [],
    baseModel: config.baseModel,
    optimizerModel: config.optimizerModel,
    concurrency: config.concurrency,
    plan: ExperimentPlanOptionsSchema.parse({}),
  };
  return planCells(settings, clients, [cell]);
}
