import { fileURLToPath } from 'node:url';
import {
  type ComposedPlatform,
  composePlatform,
  importLimitOf,
  type PlatformConfig,
  type PlatformMode,
  publicHostsOf,
  requestBodyLimitFor,
} from '@metaspo/platform';
import { createLogger, DEFAULT_HOST, type Logger, type ServedRouter, serve } from '@metaspo/service-kit';
import { createStaticHandler } from './static-files.js';

export const DEFAULT_ADMIN_DIR = fileURLToPath(new URL('../../admin/dist', import.meta.url));

export interface StartServerOptions {
  dataDir: string;
  host?: string;
  port?: number;
  service?: PlatformMode;
  token?: string | undefined;
  config?: PlatformConfig;
  env?: NodeJS.ProcessEnv;
  /** The admin app's build, served at `/` by the `all` process. */
  adminDir?: string;
  sharedDatasetsDir?: string;
  logger?: Logger;
}

export interface RunningServer {
  url: string;
  port: number;
  platform: ComposedPlatform;
  /** Stops accepting requests, pauses running runs at a persisted step, closes the databases. */
  close(): Promise<void>;
}

export async function startServer(options: StartServerOptions): Promise<RunningServer> {
  const env = options.env ?? process.env;
  const logger = options.logger ?? createLogger({ name: 'metaspo-server' });
  const service = options.service ?? 'all';
  const platform = composePlatform({
    mode: service,
    dataDir: options.dataDir,
    config: options.config,
    env,
    sharedDatasetsDir: options.sharedDatasetsDir,
    logger,
  });
  let served: ServedRouter;
  try {
    served = await serve(platform.router, {
      host: options.host ?? DEFAULT_HOST,
      port: options.port ?? 3000,
      token: options.token ?? (env.METASPO_API_TOKEN || undefined),
      health: () => ({ service }),
      publicHosts: publicHostsOf(options.config, env),
      bodyLimitBytes: requestBodyLimitFor(importLimitOf(options.config)),
      logger,
      ...(service === 'all' ? { fallback: createStaticHandler(options.adminDir ?? DEFAULT_ADMIN_DIR) } : {}),
    });
  } catch (error) {
    await platform.close();
    throw error;
  }
  logger.info({ url: served.url, service }, 'metaspo server listening');
  let closing: Promise<void> | undefined;
  return {
    url: served.url,
    port: served.port,
    platform,
    close: () => {
      closing ??= (async () => {
        const stopped = served.close(5_000);
        await platform.close();
        await stopped;
      })();
      return closing;
    },
  };
}
