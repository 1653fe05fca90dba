import { invalidInput } from '@metaspo/service-kit';

/** How often an owner renews its leases, and how long a lease outlives its last renewal. */
export interface LeaseTiming {
  heartbeatMs: number;
  expiryMs: number;
}

/** Renewed every 2 s, so a cancel from another process lands within 2 s; a dead owner's lease frees after 10 s. */
export const DEFAULT_LEASE_TIMING: LeaseTiming = { heartbeatMs: 2_000, expiryMs: 10_000 };

/** The defaults with `overrides`, checked: an expiry must leave room for at least two heartbeats. */
export function leaseTimingFrom(overrides: Partial<LeaseTiming>): LeaseTiming {
  const timing = { ...DEFAULT_LEASE_TIMING, ...overrides };
  for (const [field, value] of Object.entries(timing)) {
    if (!Number.isInteger(value) || value <= 0) {
      throw invalidInput(`lease ${field} must be a positive whole number of milliseconds, got ${value}`);
    }
  }
  if (timing.expiryMs < 2 * timing.heartbeatMs) {
    throw invalidInput(
      `lease expiryMs (${timing.expiryMs}) must be at least twice heartbeatMs (${timing.heartbeatMs}), or a live owner could lose its lease between two heartbeats`,
    );
  }
  return timing;
}

/**
 * METASPO_LEASE_HEARTBEAT_MS and METASPO_LEASE_EXPIRY_MS (tests shorten them); unset ones keep
 * their defaults.
 */
export function leaseTimingFromEnv(env: NodeJS.ProcessEnv): Partial<LeaseTiming> {
  const read = (name: string): number | undefined => {
    const raw = env[name];
    if (raw === undefined || raw === '') return undefined;
    const value = Number(raw);
    if (!Number.isInteger(value) || value <= 0) {
      throw invalidInput(`${name} must be a positive whole number of milliseconds, got "${raw}"`);
    }
    return value;
  };
  const heartbeatMs = read('METASPO_LEASE_HEARTBEAT_MS');
  const expiryMs = read('METASPO_LEASE_EXPIRY_MS');
  return {
    ...(heartbeatMs === undefined ? {} : { heartbeatMs }),
    ...(expiryMs === undefined ? {} : { expiryMs }),
  };
}
