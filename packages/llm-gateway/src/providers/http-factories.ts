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
import type { ReplicaSet } from './replicas.js';
import {
  buildReplicaSet,
  checkReplicas,
  type ReplicaSpec,
  replicaSetIdentity,
  replicaSpecsOf,
  replicatedLimits,
} from './replicas-plan.js';

const DEFAULT_OLLAMA_BASE_URL = 'http://127.0.0.1:11434/v1';

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

/** The replica sets built so far, by endpoint id: what a check reports the rotation state of. */
type BuiltReplicaSets = Map<string, ReplicaSet>;

/**
 * An OpenAI-compatible endpoint served by several replicas: one provider per replica URL behind
 * a replica set, under one endpoint id (the sorted URLs and the key identity) and one limiter.
 */
function replicatedPlan(options: {
  provider: 'openai-compatible' | 'ollama';
  endpointId: string;
  replicas: readonly ReplicaSpec[];
  apiKey: string | undefined;
  specOf: (baseURL: string) => HttpEndpointSpec;
  limits: EndpointLimits;
  context: ProviderContext;
  fetch: HttpFetch;
  built: BuiltReplicaSets;
}): EndpointPlan {
  const { endpointId, built } = options;
  return {
    ok: true,
    key: endpointId,
    limits: replicatedLimits(options.limits, options.replicas),
    build: () => {
      const set = buildReplicaSet({
        provider: options.provider,
        endpointId,
        specs: options.replicas,
        failover: options.context.config.failover,
        apiKey: options.apiKey,
        buildReplica: (url) => buildHttpProvider(options.specOf(url), options.fetch),
      });
      built.set(endpointId, set);
      return set;
    },
  };
}

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

function compatibleFactory(fetch: HttpFetch, built: BuiltReplicaSets): ProviderFactory {
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
      if (endpoint.replicas) {
        const replicas = replicaSpecsOf(endpoint.replicas, endpoint.concurrency, context.config.concurrency);
        const endpointId = endpointIdOf(`openai-compatible@${name}`, replicaSetIdentity(replicas), apiKey);
        return replicatedPlan({
          provider: 'openai-compatible',
          endpointId,
          replicas,
          apiKey,
          specOf: (baseURL) => ({ provider: 'openai-compatible', endpointId, name, baseURL, apiKey }),
          limits: endpoint,
          context,
          fetch,
          built,
        });
      }
      // The schema gives an endpoint without replicas a baseUrl.
      const baseURL = endpoint.baseUrl ?? '';
      const endpointId = endpointIdOf(`openai-compatible@${name}`, baseURL, apiKey);
      return httpPlan({ provider: 'openai-compatible', endpointId, name, baseURL, apiKey }, endpoint, fetch);
    },
    // One row per named endpoint of the config file.
    statusRefs: ({ config }) =>
      Object.keys(config.endpoints).map((endpoint) => ({
        provider: 'openai-compatible',
        endpoint,
        model: 'default',
      })),
    async check(status, context) {
      const name = status.endpoint ?? 'default';
      const endpoint = context.config.endpoints[name];
      if (!endpoint) return { state: 'error', detail: 'no such endpoint in the config', latencyMs: null };
      const apiKey = endpoint.apiKeyEnv ? context.env[endpoint.apiKeyEnv] : undefined;
      if (!endpoint.replicas) return probeModelsEndpoint(endpoint.baseUrl ?? '', apiKey);
      const replicas = replicaSpecsOf(endpoint.replicas, endpoint.concurrency, context.config.concurrency);
      const endpointId = endpointIdOf(`openai-compatible@${name}`, replicaSetIdentity(replicas), apiKey);
      return checkReplicas(replicas, apiKey, built.get(endpointId));
    },
  };
}

function ollamaBaseUrl({ config, env }: ProviderContext): string {
  return config.providers.ollama?.baseUrl ?? env.OLLAMA_BASE_URL ?? DEFAULT_OLLAMA_BASE_URL;
}

function ollamaReplicas({ config }: ProviderContext): ReplicaSpec[] | undefined {
  const settings = config.providers.ollama;
  return settings?.replicas && replicaSpecsOf(settings.replicas, settings.concurrency, config.concurrency);
}

function ollamaFactory(fetch: HttpFetch, built: BuiltReplicaSets): ProviderFactory {
  return {
    provider: 'ollama',
    plan(_ref, context) {
      const settings = context.config.providers.ollama ?? {};
      const replicas = ollamaReplicas(context);
      if (replicas) {
        const endpointId = endpointIdOf('ollama', replicaSetIdentity(replicas), undefined);
        return replicatedPlan({
          provider: 'ollama',
          endpointId,
          replicas,
          apiKey: undefined,
          specOf: (baseURL) => ({ provider: 'ollama', endpointId, baseURL }),
          limits: settings,
          context,
          fetch,
          built,
        });
      }
      const baseURL = ollamaBaseUrl(context);
      const endpointId = endpointIdOf('ollama', baseURL, undefined);
      return httpPlan({ provider: 'ollama', endpointId, baseURL }, settings, fetch);
    },
    async check(_status, context) {
      const replicas = ollamaReplicas(context);
      if (!replicas) return probeModelsEndpoint(ollamaBaseUrl(context), undefined);
      const endpointId = endpointIdOf('ollama', replicaSetIdentity(replicas), undefined);
      return checkReplicas(replicas, undefined, built.get(endpointId));
    },
  };
}

/** The gateway's own providers: the HTTP APIs, all sending through one `fetch`. */
export function createHttpProviderFactories(fetch: HttpFetch): ProviderFactory[] {
  const built: BuiltReplicaSets = new Map();
  return [
    keyedFactory('openai', 'OPENAI_API_KEY', 'OPENAI_BASE_URL', fetch),
    keyedFactory('anthropic', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL', fetch),
    keyedFactory('google', 'GOOGLE_GENERATIVE_AI_API_KEY', 'GOOGLE_GENERATIVE_AI_BASE_URL', fetch),
    compatibleFactory(fetch, built),
    ollamaFactory(fetch, built),
  ];
}
