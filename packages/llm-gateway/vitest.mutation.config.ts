import { sharedVitestConfig } from '@metaspo/vitest-config';
import type { ViteUserConfig } from 'vitest/config';

/**
 * The tests Stryker runs against the scheduler, retries, budgets and cache key (see
 * stryker.config.mjs); the provider, llama.cpp and model-pull tests never reach those lines.
 */
const mutationConfig: ViteUserConfig = {
  ...sharedVitestConfig,
  test: {
    ...sharedVitestConfig.test,
    include: [
      'test/endpoint-limiter.test.ts',
      'test/batch-admission.test.ts',
      'test/retry-budget.test.ts',
      'test/cache-ledger.test.ts',
      'test/cache-check.test.ts',
      'test/unanswered-attempts.test.ts',
      'test/faults.test.ts',
    ],
  },
};
export default mutationConfig;
