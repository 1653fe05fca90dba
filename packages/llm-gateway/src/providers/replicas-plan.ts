import type {
  EndpointLimits,
  EndpointReplica,
  FailoverSettings,
  ModelProvider,
  Provider,
  ProviderCheckResult,
} from '@metaspo/schemas';
import { probeModelsEndpoint } from './http-probe.js';
import { ReplicaSet } from './replicas.js';

export interface ReplicaSpec {
  url: string;
  capacity: number;
}

/**
 * Each replica's capacity: its own `concurrency`, else the endpoint's (the endpoint limit then
 * bounds them together), else `llm.concurrency`.
 */
export function replicaSpecsOf(
  replicas: readonly EndpointReplica[],
  endpointConcurrency: number | undefined,
  defaultConcurrency: number,
): ReplicaSpec[] {
  return replicas.map((replica) =>
    typeof replica === 'string'
      ? { url: replica, capacity: endpointConcurrency ?? defaultConcurrency }
      : { url: replica.url, capacity: replica.concurrency ?? endpointConcurrency ?? defaultConcurrency },
  );
}

/** The endpoint's limits: its concurrency is the sum of its replicas' unless it sets one. */
export function replicatedLimits(limits: EndpointLimits, specs: readonly ReplicaSpec[]): EndpointLimits {
  const concurrency = limits.concurrency ?? specs.reduce((sum, spec) => sum + spec.capacity, 0);
  return { ...limits, concurrency };
}

/**
 * What the endpoint id hashes for a set of replicas: the URLs sorted, so listing them in another
 * order is the same endpoint. (The cache key never holds it: it names the endpoint, not a URL.)
 */
export function replicaSetIdentity(specs: readonly ReplicaSpec[]): string {
  return specs
    .map((spec) => spec.url.replace(/\/+$/, ''))
    .sort()
    .join('\n');
}

export function buildReplicaSet(options: {
  provider: Provider;
  endpointId: string;
  specs: readonly ReplicaSpec[];
  failover: FailoverSettings;
  apiKey: string | undefined;
  buildReplica: (url: string) => ModelProvider;
}): ReplicaSet {
  const { apiKey } = options;
  return new ReplicaSet(
    options.provider,
    options.endpointId,
    options.specs.map((spec) => ({ ...spec, provider: options.buildReplica(spec.url) })),
    options.failover,
    async (url) => (await probeModelsEndpoint(url, apiKey)).state === 'ready',
  );
}

function seconds(ms: number): string {
  return `${Math.max(0, Math.round(ms / 100) / 10)} s`;
}

/**
 * A replicated endpoint's check: every replica probed (`GET <url>/models`), each one's result
 * and, once the gateway has called it, its rotation state; a probe that fails takes a replica out
 * of the live set and one that answers brings it back. Ready while any replica is.
 */
export async function checkReplicas(
  specs: readonly ReplicaSpec[],
  apiKey: string | undefined,
  live: ReplicaSet | undefined,
): Promise<ProviderCheckResult> {
  const probes = await Promise.all(specs.map((spec) => probeModelsEndpoint(spec.url, apiKey)));
  for (const [i, spec] of specs.entries()) live?.noteProbe(spec.url, probes[i]?.state === 'ready');
  const states = live?.states();
  const parts = specs.map((spec, i) => {
    const probe = probes[i] as ProviderCheckResult;
    const state = states?.find((s) => s.url === spec.url);
    if (!state) return probe.detail;
    const rotation = state.inService
      ? `in service, ${state.inFlight}/${state.capacity} in flight`
      : `out of rotation after ${state.lastError ?? 'failures'}${
          state.nextProbeAt === undefined ? '' : `, next probe in ${seconds(state.nextProbeAt - Date.now())}`
        }`;
    return `${probe.detail}; ${rotation}; ${state.served} served, ${state.failed} failed`;
  });
  const ready = probes.filter((p) => p.state === 'ready');
  const state =
    ready.length > 0 ? 'ready' : probes.some((p) => p.state === 'error') ? 'error' : 'unreachable';
  const latencies = ready.flatMap((p) => (p.latencyMs === null ? [] : [p.latencyMs]));
  return {
    state,
    detail: `${ready.length} of ${specs.length} replicas ready: ${parts.join(' | ')}`,
    latencyMs: latencies.length > 0 ? Math.min(...latencies) : null,
  };
}
