import {
  type ModelCheck,
  type ParsedModelRef,
  PROVIDERS,
  type ProviderStatus,
  parseModelRef,
} from '@metaspo/schemas';
import { sha256Hex } from '@metaspo/service-kit';
import { SIM_VARIANTS } from '@metaspo/simulator';
import type { EndpointLimits, GatewayConfig } from '../config.js';
import { LlmCallError } from '../errors.js';
import { BUILT_IN_PRICES } from '../prices.js';
import { EndpointLimiter } from '../scheduler/endpoint-limiter.js';
import { buildHttpProvider, type HttpEndpointSpec } from './http-endpoint.js';
import { createLlamaCppProvider } from './llamacpp.js';
import { locateLlamaCppModel } from './llamacpp-models.js';
import { createPlainHttpFetch, PLAIN_HTTP_MAX_SOCKETS } from './plain-http-fetch.js';
import { type AnswerKeyHolder, createSimProvider } from './sim.js';
import type { ModelProvider } from './types.js';

export interface ResolvedModel {
  ref: ParsedModelRef;
  provider: ModelProvider;
  limiter: EndpointLimiter;
}

export interface ProviderRegistry {
  /** Throws a `config` LlmCallError naming the provider and what is missing (never a value). */
  resolve(modelRef: string): ResolvedModel;
  /** Whether `resolve` and a first call could succeed, without building or calling anything. */
  check(modelRef: string): Omit<ModelCheck, 'priced'> & { parsed?: ParsedModelRef };
  statuses(): ProviderStatus[];
  limiters(): EndpointLimiter[];
  close(): Promise<void>;
}

export const DEFAULT_OLLAMA_BASE_URL = 'http://127.0.0.1:11434/v1';
/** The in-process simulator has no server to protect; its limit only bounds memory. */
const SIM_CONCURRENCY = 1_024;

/** An endpoint: how to build its provider, or what is missing to build it. */
type EndpointPlan =
  | { ok: true; key: string; limits: EndpointLimits; build: () => ModelProvider }
  | { ok: false; missing: string; message?: string; envVar?: string };

function endpointIdOf(provider: string, baseUrl: string | undefined, apiKey: string | undefined): string {
  const keyIdentity = apiKey ? sha256Hex(apiKey).slice(0, 12) : 'no-key';
  return `${provider}:${sha256Hex(`${baseUrl ?? 'default'}|${keyIdentity}`).slice(0, 16)}`;
}

function missingMessage(ref: ParsedModelRef, missing: string): string {
  const name = ref.endpoint ? `${ref.provider}@${ref.endpoint}` : ref.provider;
  return `provider ${name} is not configured: ${missing}`;
}

export function createProviderRegistry(options: {
  config: GatewayConfig;
  env: NodeJS.ProcessEnv;
  answerKeys: AnswerKeyHolder;
}): ProviderRegistry {
  const { config, env } = options;
  const byRef = new Map<string, ResolvedModel>();
  const byEndpoint = new Map<string, { provider: ModelProvider; limiter: EndpointLimiter }>();
  const plainHttp = createPlainHttpFetch(PLAIN_HTTP_MAX_SOCKETS);

  const httpPlan = (spec: HttpEndpointSpec, limits: EndpointLimits): EndpointPlan => ({
    ok: true,
    key: spec.endpointId,
    limits,
    build: () => buildHttpProvider(spec, plainHttp.fetch),
  });

  const keyed = (
    provider: 'openai' | 'anthropic' | 'google',
    keyVar: string,
    baseUrlVar: string,
  ): EndpointPlan => {
    const apiKey = env[keyVar];
    if (!apiKey) return { ok: false, missing: `set the environment variable ${keyVar}`, envVar: keyVar };
    const settings = config.providers[provider];
    const baseURL = settings?.baseUrl ?? env[baseUrlVar] ?? undefined;
    const endpointId = endpointIdOf(provider, baseURL, apiKey);
    return httpPlan({ provider, endpointId, apiKey, baseURL }, settings ?? {});
  };

  const compatible = (ref: ParsedModelRef): EndpointPlan => {
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
    if (!endpoint) {
      return {
        ok: false,
        missing: ref.endpoint
          ? `no endpoint "${name}" under llm.endpoints in the config file`
          : 'write it as openai-compatible@<endpoint>:<model> with the endpoint under llm.endpoints, configure an endpoint named "default", or set OPENAI_COMPATIBLE_BASE_URL (--base-url)',
      };
    }
    const apiKey = endpoint.apiKeyEnv ? env[endpoint.apiKeyEnv] : undefined;
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
    );
  };

  const plan = (ref: ParsedModelRef): EndpointPlan => {
    switch (ref.provider) {
      case 'openai':
        return keyed('openai', 'OPENAI_API_KEY', 'OPENAI_BASE_URL');
      case 'anthropic':
        return keyed('anthropic', 'ANTHROPIC_API_KEY', 'ANTHROPIC_BASE_URL');
      case 'google':
        return keyed('google', 'GOOGLE_GENERATIVE_AI_API_KEY', 'GOOGLE_GENERATIVE_AI_BASE_URL');
      case 'openai-compatible':
        return compatible(ref);
      case 'ollama': {
        const settings = config.providers.ollama;
        const baseURL = settings?.baseUrl ?? env.OLLAMA_BASE_URL ?? DEFAULT_OLLAMA_BASE_URL;
        const endpointId = endpointIdOf('ollama', baseURL, undefined);
        return httpPlan({ provider: 'ollama', endpointId, baseURL }, settings ?? {});
      }
      case 'llamacpp': {
        const located = locateLlamaCppModel(ref.model, config.llamacpp);
        if (!located.ok) return { ok: false, missing: located.reason, message: located.reason };
        // One loaded model per file, shared by every call; its sequences bound the concurrency.
        const { parallelSequences, contextSize } = config.llamacpp;
        return {
          ok: true,
          key: `llamacpp:${located.file}`,
          limits: { concurrency: parallelSequences },
          build: () =>
            createLlamaCppProvider({
              model: located.file,
              label: `llamacpp:${ref.model}`,
              parallelSequences,
              ...(contextSize === undefined ? {} : { contextSize }),
            }),
        };
      }
      case 'sim': {
        const settings = config.providers.sim;
        return {
          ok: true,
          key: 'sim:in-process',
          limits: { concurrency: SIM_CONCURRENCY, ...settings },
          build: () =>
            createSimProvider({
              answerKeys: options.answerKeys,
              ...(settings?.malformedRate === undefined ? {} : { malformedRate: settings.malformedRate }),
            }),
        };
      }
    }
  };

  const resolve = (modelRef: string): ResolvedModel => {
    const known = byRef.get(modelRef);
    if (known) return known;
    let ref: ParsedModelRef;
    try {
      ref = parseModelRef(modelRef);
    } catch (error) {
      throw new LlmCallError({ kind: 'config', message: (error as Error).message });
    }
    const endpointPlan = plan(ref);
    if (!endpointPlan.ok) {
      throw new LlmCallError({
        kind: 'config',
        provider: ref.provider,
        model: modelRef,
        message: endpointPlan.message ?? missingMessage(ref, endpointPlan.missing),
      });
    }
    let endpoint = byEndpoint.get(endpointPlan.key);
    if (!endpoint) {
      const limits = endpointPlan.limits;
      endpoint = {
        provider: endpointPlan.build(),
        limiter: new EndpointLimiter({
          concurrency: limits.concurrency ?? config.concurrency,
          rpm: limits.rpm ?? config.rpm,
          tpm: limits.tpm ?? config.tpm,
        }),
      };
      byEndpoint.set(endpointPlan.key, endpoint);
    }
    const resolved = { ref, ...endpoint };
    byRef.set(modelRef, resolved);
    return resolved;
  };

  const check = (modelRef: string): Omit<ModelCheck, 'priced'> & { parsed?: ParsedModelRef } => {
    let ref: ParsedModelRef;
    try {
      ref = parseModelRef(modelRef);
    } catch (error) {
      return { ref: modelRef, usable: false, problem: (error as Error).message };
    }
    const base = { ref: modelRef, provider: ref.provider, parsed: ref };
    // The simulator builds its model on the first call; an unknown variant would fail every call.
    if (ref.provider === 'sim' && !Object.hasOwn(SIM_VARIANTS, ref.model)) {
      return {
        ...base,
        usable: false,
        problem: `unknown simulator model "${ref.model}": expected one of ${Object.keys(SIM_VARIANTS)
          .map((v) => `sim:${v}`)
          .join(', ')}`,
      };
    }
    const endpointPlan = plan(ref);
    if (endpointPlan.ok) return { ...base, usable: true };
    return {
      ...base,
      usable: false,
      problem: endpointPlan.message ?? missingMessage(ref, endpointPlan.missing),
      ...(endpointPlan.envVar ? { envVar: endpointPlan.envVar } : {}),
    };
  };

  /** What is missing for the provider to serve anything; undefined when nothing is. */
  const missingFor = (ref: ParsedModelRef): string | undefined => {
    if (ref.provider === 'llamacpp') {
      const { models, modelsDir } = config.llamacpp;
      return Object.keys(models).length > 0 || modelsDir !== undefined
        ? undefined
        : 'no models: set llm.llamacpp.models (name: path) or llm.llamacpp.modelsDir';
    }
    const endpointPlan = plan(ref);
    return endpointPlan.ok ? undefined : endpointPlan.missing;
  };

  const statusOf = (ref: ParsedModelRef): ProviderStatus => {
    const missing = missingFor(ref);
    const priced = Object.keys(BUILT_IN_PRICES[ref.provider] ?? {});
    return {
      provider: ref.provider,
      ...(ref.endpoint ? { endpoint: ref.endpoint } : {}),
      configured: missing === undefined,
      ...(missing === undefined ? {} : { missing }),
      pricedModels: priced,
    };
  };

  return {
    resolve,
    check,
    statuses() {
      const refs: ParsedModelRef[] = PROVIDERS.filter((p) => p !== 'openai-compatible').map((provider) => ({
        provider,
        model: provider === 'llamacpp' ? '<name>' : 'default',
      }));
      for (const endpoint of Object.keys(config.endpoints)) {
        refs.push({ provider: 'openai-compatible', endpoint, model: 'default' });
      }
      return refs.map(statusOf);
    },
    limiters: () => [...byEndpoint.values()].map((e) => e.limiter),
    async close() {
      const closing = new Error('the gateway is closing');
      for (const endpoint of byEndpoint.values()) endpoint.limiter.drain(closing);
      await Promise.all([...byEndpoint.values()].map((e) => e.provider.close?.()));
      byEndpoint.clear();
      byRef.clear();
      plainHttp.close();
    },
  };
}
