import type { DatasetsClient, EvaluatorClient, LlmClient } from '@metaspo/schemas';
import { createServiceClient } from '@metaspo/service-kit';
import type { AppRouter, ServiceName } from './app-router.js';

export const SERVICE_URL_ENV: Record<ServiceName, string> = {
  llm: 'METASPO_LLM_URL',
  datasets: 'METASPO_DATASETS_URL',
  evaluator: 'METASPO_EVALUATOR_URL',
  optimizer: 'METASPO_OPTIMIZER_URL',
};

export type ServiceUrls = Partial<Record<ServiceName, string>>;

/** Each service's URL: the explicit one, else its METASPO_<NAME>_URL variable. */
export function serviceUrlsOf(explicit: ServiceUrls | undefined, env: NodeJS.ProcessEnv): ServiceUrls {
  const urls: ServiceUrls = {};
  for (const name of Object.keys(SERVICE_URL_ENV) as ServiceName[]) {
    const url = explicit?.[name] ?? env[SERVICE_URL_ENV[name]];
    if (url) urls[name] = url;
  }
  return urls;
}

export interface RemoteClients {
  llm(): LlmClient;
  datasets(): DatasetsClient;
  evaluator(): EvaluatorClient;
}

/** Clients of services running in other processes; asking for one without a URL names the variable. */
export function remoteClients(urls: ServiceUrls, token: string | undefined): RemoteClients {
  const client = (name: ServiceName) => {
    const url = urls[name];
    if (!url)
      throw new Error(`${SERVICE_URL_ENV[name]} is not set: it must give the URL of the ${name} service`);
    return createServiceClient<AppRouter>({ url, token });
  };
  return {
    llm: () => client('llm').llm,
    datasets: () => client('datasets').datasets,
    evaluator: () => client('evaluator').evaluator,
  };
}
