import type {
  EndpointLimits,
  EndpointPlan,
  ParsedModelRef,
  ProviderContext,
  ProviderFactory,
} from '@metaspo/schemas';
import { sha256Hex } from '@metaspo/service-kit';
import { buildHttpProvider, type HttpEndpointSpec } from './http-endpoint.js';
import { probeModelsEndpoint } from './http-probe.js';

export const DEFAULT_OLLAMA_BASE_URL = 'http://127.0.0.1:11434/v1';

function endpointIdOf(provider: string, baseUrl: string | undefined, apiKey: string | undefined): string {
  const keyIdentity = apiKey ? sha256Hex(apiKey).slice(0, 12) : 'no-key';
  return `${provider}:${sha256Hex(`${baseUrl ?? 'default'}|${keyIdentity}`).slice(0, 16)}`;
}

type HttpFetch = typeof globalThis.fetch;

const httpPlan = (spec: HttpEndpointSpec, limits: EndpointLimits, fetch: HttpFetch): EndpointPlan => ({
  ok: true,
  key: spec.endpointId,
  limits,
  build: () => buildHttpProvider(spec, fetch),
});

/** A hosted API: its key from the environment, its base URL from the config or the environment. */
function keyedFactory(
  provider: 'openai' | 'anthropic' | 'google',
  keyVar: string,
  baseUrlVar: string,
  fetch: HttpFetch,
): ProviderFactory {
  return {
    provider,
    plan(_ref, { config, env }) {
      const apiKey = env[keyVar];
      if (!apiKey) return { ok: false, missing: `set the environment variable ${keyVar}`, envVar: keyVar };
      const settings = config.providers[provider];
      const baseURL = settings?.baseUrl ?? env[baseUrlVar] ?? undefined;
      const endpointId = endpointIdOf(provider, baseURL, apiKey);
      return httpPlan({ provider, endpointId, apiKey, baseURL }, settings ?? {}, fetch);
    },
  };
}

function compatibleEndpointOf(ref: ParsedModelRef, { config, env }: ProviderContext) {
  const name = ref.endpoint ?? 'default';
  const fromEnv = ref.endpoint === undefined && env.OPENAI_COMPATIBLE_BASE_URL;
  const endpoint =
    config.endpoints[name] ??
    (fromEnv
      ? {
          baseUrl: fromEnv,
          apiKeyEnv: env.OPENAI_COMPATIBLE_API_KEY ? 'OPENAI_COMPATIBLE_API_KEY' : undefined,
        }
      : undefined);
  return { name, endpoint };
}

function compatibleFactory(fetch: HttpFetch): ProviderFactory {
  return {
    provider: 'openai-compatible',
    plan(ref, context) {
      const { name, endpoint } = compatibleEndpointOf(ref, context);
      if (!endpoint) {
        return {
          ok: false,
          missing: ref.endpoint
            ? `no endpoint "${name}" under llm.endpoints in the config file`
            : 'write it as openai-compatible@<endpoint>:<model> with the endpoint under llm.endpoints, configure an endpoint named "default", or set OPENAI_COMPATIBLE_BASE_URL (--base-url)',
        };
      }
      const apiKey = endpoint.apiKeyEnv ? context.env[endpoint.apiKeyEnv] : undefined;
      if (endpoint.apiKeyEnv && !apiKey) {
        return {
          ok: false,
          missing: `set the environment variable ${endpoint.apiKeyEnv}`,
          envVar: endpoint.apiKeyEnv,
        };
      }
      const endpointId = endpointIdOf(`openai-compatible@${name}`, endpoint.baseUrl, apiKey);
      return httpPlan(
        { provider: 'openai-compatible', endpointId, name, baseURL: endpoint.baseUrl, apiKey },
        endpoint,
        fetch,
      );
    },
    // One row per named endpoint of the config file.
    statusRefs: ({ config }) =>
      Object.keys(config.endpoints).map((endpoint) => ({
        provider: 'openai-compatible',
        endpoint,
        model: 'default',
      })),
    async check(status, { config, env }) {
      const endpoint = config.endpoints[status.endpoint ?? 'default'];
      if (!endpoint) return { state: 'error', detail: 'no such endpoint in the config', latencyMs: null };
      return probeModelsEndpoint(endpoint.baseUrl, endpoint.apiKeyEnv ? env[endpoint.apiKeyEnv] : undefined);
    },
  };
}

function ollamaBaseUrl({ config, env }: ProviderContext): string {
  return config.providers.ollama?.baseUrl ?? env.OLLAMA_BASE_URL ?? DEFAULT_OLLAMA_BASE_URL;
}

function ollamaFactory(fetch: HttpFetch): ProviderFactory {
  return {
    provider: 'ollama',
    plan(_ref, context) {
      const baseURL = ollamaBaseUrl(context);
      const endpointId = endpointIdOf('ollama', baseURL, undefined);
      return httpPlan(
        { provider: 'ollama', endpointId, baseURL },
        context.config.providers.ollama ?? {},
        fetch,
      );
    },
    check: async (_status, context) => probeModelsEndpoint(ollamaBaseUrl(context), undefined),
  };
}

/** The gateway's own providers: the HTTP APIs, all sending through one `fetch`. */
export function createHttpProviderFactories(fetch: HttpFetch): ProviderFactory[] {
  return [
    keyedFactory('openai', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', fetch),
    keyedFactory('anthropic', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', fetch),
    keyedFactory('google', 'GOOGLE_GENERATIVE_AI_API_KEY', 'GOOGLE_GENERATIVE_AI_BASE_URL', fetch),
    compatibleFactory(fetch),
    ollamaFactory(fetch),
  ];
}
