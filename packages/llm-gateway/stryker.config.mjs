import { functionLines, strykerConfig } from '../../scripts/stryker-config.mjs';

/**
 * Mutation testing of the gateway's endpoint limiter, retry delay, run budgets, cache key and
 * batch submission and following (docs/testing.md).
 */
export default strykerConfig(
  [
    'src/scheduler/endpoint-limiter.ts',
    'src/scheduler/retry.ts',
    'src/store/budgets.ts',
    'src/batch/batch-follower.ts',
    'src/batch/batch-submitter.ts',
    functionLines(new URL('./', import.meta.url), 'src/call-pipeline.ts', 'cacheKeyOf'),
  ],
  // A mutant that stops the limiter granting slots hangs its test; the mutation tests take well
  // under a second each, so a short timeout calls it "timed out" (killed) quickly instead of
  // after Stryker's 5 s.
  { timeoutMS: 1500, timeoutFactor: 1.25 },
);
