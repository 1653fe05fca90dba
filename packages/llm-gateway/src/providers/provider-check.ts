import type { ProviderCheck, ProviderStatus } from '@metaspo/schemas';
import type { ProviderRegistry } from './registry.js';

/** Checks every provider the gateway lists, each by its own factory, all in parallel. */
export function checkProviders(
  statuses: ProviderStatus[],
  registry: ProviderRegistry,
): Promise<ProviderCheck[]> {
  return Promise.all(
    statuses.map(async (status): Promise<ProviderCheck> => {
      const base = { provider: status.provider, ...(status.endpoint ? { endpoint: status.endpoint } : {}) };
      if (!status.configured) {
        return {
          ...base,
          state: 'not-configured',
          detail: status.missing ?? 'not configured',
          latencyMs: null,
        };
      }
      const check = registry.factory(status.provider)?.check;
      if (check) return { ...base, ...(await check(status, registry.context)) };
      return {
        ...base,
        state: 'key-set',
        detail: 'API key set; the provider is first called when a run uses it',
        latencyMs: null,
      };
    }),
  );
}
