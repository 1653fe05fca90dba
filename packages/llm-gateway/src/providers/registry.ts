import {
  type EndpointPlan,
  type ModelCheck,
  type ModelProvider,
  type ParsedModelRef,
  PROVIDERS,
  type Provider,
  type ProviderContext,
  type ProviderFactory,
  type ProviderStatus,
  parseModelRef,
} from '@metaspo/schemas';
import { LlmCallError } from '../errors.js';
import { BUILT_IN_PRICES } from '../prices.js';
import { EndpointLimiter } from '../scheduler/endpoint-limiter.js';
import { createHttpProviderFactories } from './http-factories.js';
import { createPlainHttpFetch, PLAIN_HTTP_MAX_SOCKETS } from './plain-http-fetch.js';

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
  /** The registered factory of a provider, if any. */
  factory(provider: Provider): ProviderFactory | undefined;
  readonly context: ProviderContext;
  limiters(): EndpointLimiter[];
  close(): Promise<void>;
}

function missingMessage(ref: ParsedModelRef, missing: string): string {
  const name = ref.endpoint ? `${ref.provider}@${ref.endpoint}` : ref.provider;
  return `provider ${name} is not configured: ${missing}`;
}

function unregistered(provider: Provider): EndpointPlan {
  return {
    ok: false,
    missing: `this gateway has no ${provider} provider (the composition root registers its factory)`,
  };
}

/**
 * Endpoints by provider name: the gateway's HTTP factories plus those it was given (the
 * simulator, llama.cpp). A given factory replaces a built-in one of the same name.
 */
export function createProviderRegistry(options: {
  context: ProviderContext;
  factories: readonly ProviderFactory[];
}): ProviderRegistry {
  const { context } = options;
  const { config } = context;
  const byRef = new Map<string, ResolvedModel>();
  const byEndpoint = new Map<string, { provider: ModelProvider; limiter: EndpointLimiter }>();
  const plainHttp = createPlainHttpFetch(PLAIN_HTTP_MAX_SOCKETS);
  const factories = new Map<Provider, ProviderFactory>();
  for (const factory of [...createHttpProviderFactories(plainHttp.fetch), ...options.factories]) {
    factories.set(factory.provider, factory);
  }

  const plan = (ref: ParsedModelRef): EndpointPlan =>
    factories.get(ref.provider)?.plan(ref, context) ?? unregistered(ref.provider);

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
    const problem = factories.get(ref.provider)?.modelProblem?.(ref);
    if (problem !== undefined) return { ...base, usable: false, problem };
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
    const factory = factories.get(ref.provider);
    if (factory?.missing) return factory.missing(ref, context);
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

  const statusRefsOf = (provider: Provider): ParsedModelRef[] =>
    factories.get(provider)?.statusRefs?.(context) ?? [{ provider, model: 'default' }];

  return {
    resolve,
    check,
    context,
    factory: (provider) => factories.get(provider),
    statuses() {
      // The named OpenAI-compatible endpoints come last, after one row per other provider.
      const refs = PROVIDERS.filter((p) => p !== 'openai-compatible').flatMap(statusRefsOf);
      refs.push(...statusRefsOf('openai-compatible'));
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
