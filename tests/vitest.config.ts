import { sharedVitestConfig } from '@metaspo/vitest-config';
import { defineConfig, mergeConfig } from 'vitest/config';

/** End-to-end tests spawn CLI processes and servers: longer timeouts, one file at a time. */
export default mergeConfig(
  sharedVitestConfig,
  defineConfig({
    test: {
      include: ['e2e/**/*.test.ts', 'optimizer/**/*.test.ts', 'evaluator/**/*.test.ts'],
      testTimeout: 300_000,
      hookTimeout: 120_000,
      fileParallelism: false,
    },
  }),
);
