import { createDatasetsRouter, createDatasetsService, type DatasetsService } from '@metaspo/datasets';
import { createEvaluatorRouter, createEvaluatorService, type EvaluatorService } from '@metaspo/evaluator';
import { createLlmGatewayService, createLlmRouter, type LlmGatewayService } from '@metaspo/llm-gateway';
import {
  createOptimizerRouter,
  createOptimizerService,
  type LeaseTiming,
  type OptimizerService,
} from '@metaspo/optimizer';
import type { DatasetsClient, EvaluatorClient, LlmClient } from '@metaspo/schemas';
import { createServiceClient, type Logger } from '@metaspo/service-kit';
import { createSingleServiceRouter, type ServiceRouters } from './app-router.js';
import { importLimitOf, type PlatformConfig } from './config.js';
import { databaseFile } from './data-dir.js';
import { defaultProviders } from './providers.js';

/** What every service starter reads: where the files are and how the platform is configured. */
export interface StartContext {
  dataDir: string;
  config: PlatformConfig | undefined;
  env: NodeJS.ProcessEnv;
  sharedDatasetsDir: string | undefined;
  logger: Logger;
  leaseTiming: Partial<LeaseTiming> | undefined;
}

/**
 * A started service: the service itself, its router, and a client of that router through the
 * local link (same serialization as HTTP) that the services composed after it are given.
 */
export interface Started<TName extends keyof ServiceRouters, TService, TClient> {
  service: TService;
  router: ServiceRouters[TName];
  client: TClient;
}

export function startDatasets(ctx: StartContext): Started<'datasets', DatasetsService, DatasetsClient> {
  const service = createDatasetsService({
    databaseFile: databaseFile(ctx.dataDir, 'datasets'),
    sharedDatasetsDir: ctx.sharedDatasetsDir ?? ctx.env.METASPO_SHARED_DATASETS,
    maxFileBytes: importLimitOf(ctx.config),
  });
  const router = createDatasetsRouter(service);
  const client = createServiceClient({ router: createSingleServiceRouter('datasets', router) }).datasets;
  return { service, router, client };
}

/**
 * The gateway with the platform's providers. `answerKeySource` is the registry the simulator's
 * answer key is read from (absent when no datasets service is reachable: `sim:` models then
 * answer without gold answers).
 */
export function startLlm(
  ctx: StartContext,
  answerKeySource: DatasetsClient | undefined,
): Started<'llm', LlmGatewayService, LlmClient> {
  const service = createLlmGatewayService({
    databaseFile: databaseFile(ctx.dataDir, 'llm'),
    config: ctx.config?.llm,
    env: ctx.env,
    providers: defaultProviders(answerKeySource),
  });
  const router = createLlmRouter(service);
  const client = createServiceClient({ router: createSingleServiceRouter('llm', router) }).llm;
  return { service, router, client };
}

export function startEvaluator(
  ctx: StartContext,
  ports: { llm: LlmClient; datasets: DatasetsClient },
): Started<'evaluator', EvaluatorService, EvaluatorClient> {
  const service = createEvaluatorService({
    databaseFile: databaseFile(ctx.dataDir, 'evaluator'),
    ...ports,
    concurrency: ctx.config?.evaluator?.concurrency,
  });
  const router = createEvaluatorRouter(service);
  const client = createServiceClient({ router: createSingleServiceRouter('evaluator', router) }).evaluator;
  return { service, router, client };
}

export function startOptimizer(
  ctx: StartContext,
  ports: { llm: LlmClient; evaluator: EvaluatorClient; datasets: DatasetsClient },
): Omit<Started<'optimizer', OptimizerService, never>, 'client'> {
  const service = createOptimizerService({
    databaseFile: databaseFile(ctx.dataDir, 'optimizer'),
    ...ports,
    logger: ctx.logger,
    leaseTiming: ctx.leaseTiming,
  });
  return { service, router: createOptimizerRouter(service) };
}
