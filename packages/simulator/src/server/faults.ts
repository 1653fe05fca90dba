import { seedFrom } from '@metaspo/service-kit';

export const FAULT_KINDS = ['429', '500', 'timeout', 'malformed'] as const;
export type FaultKind = (typeof FAULT_KINDS)[number];

export function isFaultKind(value: string): value is FaultKind {
  return (FAULT_KINDS as readonly string[]).includes(value);
}

export interface FaultPlanOptions {
  failRate: number;
  failKinds: readonly FaultKind[];
  seed: number;
  latencyMs: number;
  jitterMs: number;
}

export interface RequestPlan {
  fault: FaultKind | null;
  delayMs: number;
}

const unit = (...parts: Array<string | number>) => seedFrom(...parts) / 4294967296;

/**
 * Fault and latency of the n-th model request, from the seed and the counter only: the same
 * server options and request order reproduce the same faults.
 */
export function planRequest(options: FaultPlanOptions, counter: number): RequestPlan {
  const delayMs =
    options.jitterMs > 0
      ? options.latencyMs + options.jitterMs * unit('jitter', options.seed, counter)
      : options.latencyMs;
  if (options.failRate <= 0 || options.failKinds.length === 0) return { fault: null, delayMs };
  if (unit('fault', options.seed, counter) >= options.failRate) return { fault: null, delayMs };
  const index = seedFrom('fault-kind', options.seed, counter) % options.failKinds.length;
  return { fault: options.failKinds[index] ?? null, delayMs };
}
