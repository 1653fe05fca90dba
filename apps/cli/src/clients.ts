import {
  type AppRouter,
  composePlatform,
  loadPlatformConfig,
  SERVICE_URL_ENV,
  type ServiceName,
} from '@metaspo/platform';
import { createServiceClient } from '@metaspo/service-kit';
import type { TRPCClient } from '@trpc/client';
import type { Command } from 'commander';
import { prepareDataDir } from './data-dir.js';

export interface PlatformClients {
  /** The whole app router's client; the fields below are its namespaces. */
  app: TRPCClient<AppRouter>;
  llm: TRPCClient<AppRouter>['llm'];
  datasets: TRPCClient<AppRouter>['datasets'];
  evaluator: TRPCClient<AppRouter>['evaluator'];
  optimizer: TRPCClient<AppRouter>['optimizer'];
  /** Where the commands are talking to: a URL, or the data directory of the in-process services. */
  target: string;
  remote: boolean;
  close(): Promise<void>;
}

function serverUrlOf(command: Command): string | undefined {
  return command.optsWithGlobals<{ server?: string }>().server ?? process.env.METASPO_SERVER_URL ?? undefined;
}

/**
 * Every command talks to the services through this: the in-process composition on the data
 * directory by default, or a running `metaspo serve` with `--server URL` (split deployments may
 * route single services elsewhere with METASPO_LLM_URL and friends). Output is the same.
 */
async function openClients(command: Command): Promise<PlatformClients> {
  const serverUrl = serverUrlOf(command);
  if (serverUrl) {
    const routes = Object.fromEntries(
      (Object.keys(SERVICE_URL_ENV) as ServiceName[]).map((name) => [
        name,
        process.env[SERVICE_URL_ENV[name]],
      ]),
    );
    const app = createServiceClient<AppRouter>({
      url: serverUrl,
      token: process.env.METASPO_API_TOKEN || undefined,
      routes,
    });
    return { app, ...namespaces(app), target: serverUrl, remote: true, close: async () => {} };
  }
  const configFile = command.optsWithGlobals<{ platformConfig?: string }>().platformConfig;
  const dataDir = prepareDataDir(command);
  const platform = composePlatform({ mode: 'all', dataDir, config: loadPlatformConfig(configFile) });
  const app = createServiceClient<AppRouter>({ router: platform.router });
  return { app, ...namespaces(app), target: dataDir, remote: false, close: () => platform.close() };
}

function namespaces(app: TRPCClient<AppRouter>) {
  return { llm: app.llm, datasets: app.datasets, evaluator: app.evaluator, optimizer: app.optimizer };
}

/** Opens the clients, runs `body`, and always closes them (pausing in-process runs cleanly). */
export async function withClients<T>(
  command: Command,
  body: (clients: PlatformClients) => Promise<T>,
): Promise<T> {
  const clients = await openClients(command);
  try {
    return await body(clients);
  } finally {
    await clients.close();
  }
}
