import { createDatasetsRouter, createDatasetsService } from '@metaspo/datasets';
import { createEvaluatorRouter, createEvaluatorService } from '@metaspo/evaluator';
import { createLlmGatewayService, createLlmRouter } from '@metaspo/llm-gateway';
import { createOptimizerRouter, createOptimizerService } from '@metaspo/optimizer';
import type { DatasetsClient, EvaluatorClient, LlmClient } from '@metaspo/schemas';
import { createLogger, createServiceClient, type Logger } from '@metaspo/service-kit';
import type { AnyRouter } from '@trpc/server';
import { attachAnswerKeyLoader } from './answer-key.js';
import {
  type AppRouter,
  createAppRouter,
  createSingleServiceRouter,
  type ServiceName,
} from './app-router.js';
import { importLimitOf, type PlatformConfig } from './config.js';
import { databaseFile } from './data-dir.js';

export interface ComposeOptions {
  /** Directory of the services' SQLite files, or ':memory:'. */
  dataDir: string;
  /** `all` (the embedded default) or one service whose dependencies are reached over HTTP. */
  service?: ServiceName | 'all';
  config?: PlatformConfig;
  env?: NodeJS.ProcessEnv;
  /** Where `datasets fetch --from` style imports may read the public benchmark files. */
  sharedDatasetsDir?: string;
  logger?: Logger;
}

export interface ComposedPlatform {
  /** What this process serves under /trpc: every router, or one under its namespace. */
  router: AnyRouter;
  service: ServiceName | 'all';
  /** Pauses running runs at a persisted step and closes every database. */
  close(): Promise<void>;
}

export const SERVICE_URL_ENV: Record<ServiceName, string> = {
  llm: 'METASPO_LLM_URL',
  datasets: 'METASPO_DATASETS_URL',
  evaluator: 'METASPO_EVALUATOR_URL',
  optimizer: 'METASPO_OPTIMIZER_URL',
};

/** Clients of services running in other processes, each at the URL its env variable names. */
function remoteClients(env: NodeJS.ProcessEnv) {
  const urlOf = (name: ServiceName): string => {
    const url = env[SERVICE_URL_ENV[name]];
    if (!url)
      throw new Error(`${SERVICE_URL_ENV[name]} is not set: it must give the URL of the ${name} service`);
    return url;
  };
  const client = (name: ServiceName) =>
    createServiceClient<AppRouter>({ url: urlOf(name), token: env.METASPO_API_TOKEN || undefined });
  return {
    llm: (): LlmClient => client('llm').llm,
    datasets: (): DatasetsClient => client('datasets').datasets,
    evaluator: (): EvaluatorClient => client('evaluator').evaluator,
  };
}

/**
 * The composition root. Every service gets its dependencies as typed tRPC clients: in-process
 * (local link) when composed together, HTTP when run alone.
 */
export function composePlatform(options: ComposeOptions): ComposedPlatform {
  const env = options.env ?? process.env;
  const service = options.service ?? 'all';
  const logger = options.logger ?? createLogger({ name: 'metaspo-server' });
  const wants = (name: ServiceName) => service === 'all' || service === name;
  const remote = remoteClients(env);
  const closers: Array<() => Promise<void> | void> = [];

  let llm: LlmClient | undefined;
  let datasets: DatasetsClient | undefined;
  let evaluator: EvaluatorClient | undefined;
  const routers: Partial<Record<ServiceName, AnyRouter>> = {};
  /** Each service alone under its namespace: what a single-service process serves. */
  const namespaced: Partial<Record<ServiceName, AnyRouter>> = {};

  if (wants('datasets')) {
    const datasetsService = createDatasetsService({
      databaseFile: databaseFile(options.dataDir, 'datasets'),
      sharedDatasetsDir: options.sharedDatasetsDir ?? env.METASPO_SHARED_DATASETS,
      maxFileBytes: importLimitOf(options.config),
    });
    closers.push(() => datasetsService.close());
    const datasetsRouter = createDatasetsRouter(datasetsService);
    routers.datasets = datasetsRouter;
    const alone = createSingleServiceRouter('datasets', datasetsRouter);
    namespaced.datasets = alone;
    datasets = createServiceClient({ router: alone }).datasets;
  }
  if (wants('llm')) {
    const llmService = createLlmGatewayService({
      databaseFile: databaseFile(options.dataDir, 'llm'),
      config: options.config?.llm,
      env,
    });
    closers.unshift(() => llmService.close());
    const answerKeySource = datasets ?? (env[SERVICE_URL_ENV.datasets] ? remote.datasets() : undefined);
    if (answerKeySource) attachAnswerKeyLoader(llmService, answerKeySource);
    const llmRouter = createLlmRouter(llmService);
    routers.llm = llmRouter;
    const alone = createSingleServiceRouter('llm', llmRouter);
    namespaced.llm = alone;
    llm = createServiceClient({ router: alone }).llm;
  }
  if (wants('evaluator')) {
    const evaluatorService = createEvaluatorService({
      databaseFile: databaseFile(options.dataDir, 'evaluator'),
      llm: llm ?? remote.llm(),
      datasets: datasets ?? remote.datasets(),
      concurrency: options.config?.evaluator?.concurrency,
    });
    closers.unshift(() => evaluatorService.close());
    const evaluatorRouter = createEvaluatorRouter(evaluatorService);
    routers.evaluator = evaluatorRouter;
    const alone = createSingleServiceRouter('evaluator', evaluatorRouter);
    namespaced.evaluator = alone;
    evaluator = createServiceClient({ router: alone }).evaluator;
  }
  if (wants('optimizer')) {
    const optimizerService = createOptimizerService({
      databaseFile: databaseFile(options.dataDir, 'optimizer'),
      llm: llm ?? remote.llm(),
      evaluator: evaluator ?? remote.evaluator(),
      datasets: datasets ?? remote.datasets(),
      logger,
    });
    closers.unshift(() => optimizerService.close());
    const optimizerRouter = createOptimizerRouter(optimizerService);
    routers.optimizer = optimizerRouter;
    namespaced.optimizer = createSingleServiceRouter('optimizer', optimizerRouter);
  }

  const router =
    service === 'all'
      ? createAppRouter(routers as Parameters<typeof createAppRouter>[0])
      : namespaced[service]!;
  return {
    router,
    service,
    close: async () => {
      // Optimizer first (it pauses runs that still call the others), databases last.
      for (const close of closers) await close();
    },
  };
}
