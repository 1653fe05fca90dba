import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatasetsRouter, createDatasetsService } from '@metaspo/datasets';
import { createEvaluatorRouter, createEvaluatorService } from '@metaspo/evaluator';
import { createLlmGatewayService, createLlmRouter, type GatewayConfigInput } from '@metaspo/llm-gateway';
import { createServiceClient } from '@metaspo/service-kit';
import { createAnswerKey } from '@metaspo/simulator';
import { createOptimizerRouter } from './router.js';
import { createOptimizerService, type OptimizerService } from './service.js';

export interface LocalPlatformOptions {
  /** Directory of the SQLite files (default: a new temp dir). */
  dir?: string;
  gateway?: GatewayConfigInput;
  /** Where the gateway reads provider keys and base URLs (e.g. OPENAI_BASE_URL of a sim server). */
  env?: NodeJS.ProcessEnv;
  /** Tasks whose gold answers the in-process simulator knows (default: the procedural split). */
  taskIds?: string[];
}

/**
 * The four services composed in one process on SQLite files, each reached through its tRPC
 * client (local link), with the simulator's answer key loaded: for tests and the optimizer
 * bench. Applications use the composition root in apps/server instead.
 */
export async function createLocalPlatform(options: LocalPlatformOptions = {}) {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-optimizer-'));
  const file = (name: string) => path.join(dir, `${name}.sqlite`);
  const datasetsService = createDatasetsService({ databaseFile: file('datasets') });
  const datasets = createServiceClient({ router: createDatasetsRouter(datasetsService) });
  const gateway = createLlmGatewayService({
    databaseFile: file('llm'),
    config: options.gateway ?? { concurrency: 64 },
    ...(options.env ? { env: options.env } : {}),
  });
  const llm = createServiceClient({ router: createLlmRouter(gateway) });
  const split = await datasets.domains.get.query({ domain: 'procedural' });
  const taskIds = options.taskIds ?? [...split.train, ...split.test];
  gateway.setAnswerKey(
    createAnswerKey(taskIds.length === 0 ? [] : await datasets.answerKey.query({ taskIds })),
  );
  const evaluatorService = createEvaluatorService({ databaseFile: file('evaluator'), llm, datasets });
  const evaluator = createServiceClient({ router: createEvaluatorRouter(evaluatorService) });
  const optimizer: OptimizerService = createOptimizerService({
    databaseFile: file('optimizer'),
    llm,
    evaluator,
    datasets,
  });
  const optimizerClient = createServiceClient({ router: createOptimizerRouter(optimizer) });
  return {
    dir,
    optimizer,
    optimizerClient,
    llm,
    gateway,
    /** The ports the optimizer was given: a second optimizer service on the same files uses them. */
    evaluator,
    datasets,
    /** Procedural meta-train and meta-test task ids (the datasets service's default split). */
    split: { train: split.train, test: split.test },
    async close() {
      await optimizer.close();
      evaluatorService.close();
      await gateway.close();
      datasetsService.close();
    },
  };
}

export type LocalPlatform = Awaited<ReturnType<typeof createLocalPlatform>>;
