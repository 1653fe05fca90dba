import { functionLines } from '../../scripts/mutation-lines.mjs';

/**
 * Mutation testing of the gateway's endpoint limiter, retry delay, run budgets and cache key
 * (docs/testing.md).
 */
export default {
  $schema: '../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  packageManager: 'pnpm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    'src/scheduler/endpoint-limiter.ts',
    'src/scheduler/retry.ts',
    'src/store/budgets.ts',
    functionLines(new URL('./', import.meta.url), 'src/call-pipeline.ts', 'cacheKeyOf'),
  ],
  coverageAnalysis: 'perTest',
  // One runner: the machine has two cores shared with other work. A mutant that stops the
  // limiter granting slots hangs its test; the mutation tests take well under a second each,
  // so a short timeout calls it "timed out" (killed) quickly instead of after Stryker's 5 s.
  concurrency: 1,
  timeoutMS: 1500,
  timeoutFactor: 1.25,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 90, low: 80, break: 80 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
