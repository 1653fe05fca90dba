import type { DatasetsService } from '@metaspo/datasets';
import type { EvaluatorService } from '@metaspo/evaluator';
import type { LlmGatewayService } from '@metaspo/llm-gateway';
import type { LeaseTiming, OptimizerService } from '@metaspo/optimizer';
import { createLogger, type Logger } from '@metaspo/service-kit';
import type { AnyRouter } from '@trpc/server';
import {
  type AppRouter,
  createAppRouter,
  createSingleServiceRouter,
  type ServiceName,
  type SingleServiceRouter,
} from './app-router.js';
import type { PlatformConfig } from './config.js';
import { remoteClients, type ServiceUrls, serviceUrlsOf } from './service-urls.js';
import { type StartContext, startDatasets, startEvaluator, startLlm, startOptimizer } from './services.js';

/** `all` (the embedded default) or one service whose dependencies are reached over HTTP. */
export type PlatformMode = 'all' | ServiceName;

export interface ComposeOptions {
  mode: PlatformMode;
  /** Directory of the services' SQLite files, or ':memory:'. */
  dataDir: string;
  config?: PlatformConfig | undefined;
  /** URLs of the services this process does not run; each overrides its METASPO_<NAME>_URL. */
  serviceUrls?: ServiceUrls | undefined;
  /** Where providers read keys and base URLs, and the METASPO_* variables (default process.env). */
  env?: NodeJS.ProcessEnv | undefined;
  /** Where `datasets fetch --from` style imports may read the public benchmark files. */
  sharedDatasetsDir?: string | undefined;
  logger?: Logger | undefined;
  /** The optimizer's lease heartbeat and expiry (default from METASPO_LEASE_* or 2 s / 10 s). */
  leaseTiming?: Partial<LeaseTiming> | undefined;
}

export interface PlatformServices {
  llm: LlmGatewayService;
  datasets: DatasetsService;
  evaluator: EvaluatorService;
  optimizer: OptimizerService;
}

export interface ComposedPlatform<
  TRouter extends AnyRouter = AnyRouter,
  TServices extends Partial<PlatformServices> = Partial<PlatformServices>,
> {
  /** What this process serves under /trpc: every router, or one under its namespace. */
  router: TRouter;
  mode: PlatformMode;
  /** The services running in this process (tests and benches drive them directly). */
  services: TServices;
  /** Pauses running runs at a persisted step and closes every database. */
  close(): Promise<void>;
}

/** Every service in this process, served as the one AppRouter. */
export type WholePlatform = ComposedPlatform<AppRouter, PlatformServices>;

function contextOf(options: ComposeOptions): StartContext & { urls: ServiceUrls; token: string | undefined } {
  const env = options.env ?? process.env;
  return {
    dataDir: options.dataDir,
    config: options.config,
    env,
    sharedDatasetsDir: options.sharedDatasetsDir,
    logger: options.logger ?? createLogger({ name: 'metaspo-server' }),
    leaseTiming: options.leaseTiming,
    urls: serviceUrlsOf(options.serviceUrls, env),
    token: env.METASPO_API_TOKEN || undefined,
  };
}

/** Closes in order: the optimizer first (it pauses runs that still call the others), the registry last. */
async function closeAll(services: Partial<PlatformServices>): Promise<void> {
  await services.optimizer?.close();
  services.evaluator?.close();
  await services.llm?.close();
  services.datasets?.close();
}

function composeAll(ctx: StartContext): WholePlatform {
  const datasets = startDatasets(ctx);
  const llm = startLlm(ctx, datasets.client);
  const evaluator = startEvaluator(ctx, { llm: llm.client, datasets: datasets.client });
  const optimizer = startOptimizer(ctx, {
    llm: llm.client,
    evaluator: evaluator.client,
    datasets: datasets.client,
  });
  const services = {
    llm: llm.service,
    datasets: datasets.service,
    evaluator: evaluator.service,
    optimizer: optimizer.service,
  };
  return {
    router: createAppRouter({
      llm: llm.router,
      datasets: datasets.router,
      evaluator: evaluator.router,
      optimizer: optimizer.router,
    }),
    mode: 'all',
    services,
    close: () => closeAll(services),
  };
}

function composeOne(name: ServiceName, ctx: ReturnType<typeof contextOf>): ComposedPlatform {
  const remote = remoteClients(ctx.urls, ctx.token);
  const alone = (router: AnyRouter, services: Partial<PlatformServices>): ComposedPlatform => ({
    router,
    mode: name,
    services,
    close: () => closeAll(services),
  });
  switch (name) {
    case 'datasets': {
      const { service, router } = startDatasets(ctx);
      return alone(createSingleServiceRouter('datasets', router), { datasets: service });
    }
    case 'llm': {
      const { service, router } = startLlm(ctx, ctx.urls.datasets ? remote.datasets() : undefined);
      return alone(createSingleServiceRouter('llm', router), { llm: service });
    }
    case 'evaluator': {
      const { service, router } = startEvaluator(ctx, { llm: remote.llm(), datasets: remote.datasets() });
      return alone(createSingleServiceRouter('evaluator', router), { evaluator: service });
    }
    case 'optimizer': {
      const { service, router } = startOptimizer(ctx, {
        llm: remote.llm(),
        evaluator: remote.evaluator(),
        datasets: remote.datasets(),
      });
      return alone(createSingleServiceRouter('optimizer', router), { optimizer: service });
    }
  }
}

/**
 * The composition root. Every service gets its dependencies as typed tRPC clients: in-process
 * (local link) when composed together, HTTP (at `serviceUrls` or METASPO_<NAME>_URL) when one
 * service runs alone.
 */
export function composePlatform(options: ComposeOptions & { mode: 'all' }): WholePlatform;
export function composePlatform<TName extends ServiceName>(
  options: ComposeOptions & { mode: TName },
): ComposedPlatform<SingleServiceRouter<TName>>;
export function composePlatform(options: ComposeOptions): ComposedPlatform;
export function composePlatform(options: ComposeOptions): ComposedPlatform {
  const ctx = contextOf(options);
  return options.mode === 'all' ? composeAll(ctx) : composeOne(options.mode, ctx);
}
