import { sharedVitestConfig } from '@metaspo/vitest-config';
import type { ViteUserConfig } from 'vitest/config';

/**
 * The tests Stryker runs against the endpoint limiter, retry delay, budgets (batch reservations
 * included), cache key and the batch submitter and follower (see stryker.config.mjs); the
 * provider, llama.cpp and model-pull tests never reach those lines, and
 * the fault-injection batch (6 s, 500 calls) would run for every limiter mutant: the limiter's
 * own tests pin what it checks.
 */
const mutationConfig: ViteUserConfig = {
  ...sharedVitestConfig,
  test: {
    ...sharedVitestConfig.test,
    include: [
      'test/endpoint-limiter.test.ts',
      'test/endpoint-limiter-adaptive.test.ts',
      'test/endpoint-limiter-buckets.test.ts',
      'test/retry-delay.test.ts',
      'test/budget-limits.test.ts',
      'test/batch-budget.test.ts',
      'test/cache-key.test.ts',
      'test/retry-budget.test.ts',
      'test/cache-ledger.test.ts',
      'test/cache-check.test.ts',
      'test/unanswered-attempts.test.ts',
      'test/batch-execution.test.ts',
      'test/batch-cancel.test.ts',
      'test/batch-cancel-grace.test.ts',
      'test/batch-polling.test.ts',
      'test/batch-resume.test.ts',
      'test/batch-close.test.ts',
      'test/batch-admission.test.ts',
    ],
  },
};
export default mutationConfig;
