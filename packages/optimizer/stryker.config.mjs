import { functionLines } from '../../scripts/mutation-lines.mjs';

const here = new URL('./', import.meta.url);

/**
 * Mutation testing of the bilevel loop's selection and acceptance and of the racing rules
 * (docs/testing.md): the inner and outer loop functions, found by name when the config loads.
 */
export default {
  $schema: '../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
  packageManager: 'pnpm',
  testRunner: 'vitest',
  plugins: ['@stryker-mutator/vitest-runner'],
  vitest: { configFile: 'vitest.mutation.config.ts' },
  mutate: [
    functionLines(here, 'src/methods/bilevel.ts', 'innerLoop'),
    functionLines(here, 'src/methods/bilevel.ts', 'outerLoop'),
    'src/engine/racing-schedule.ts',
    'src/selection/user-candidates.ts',
  ],
  coverageAnalysis: 'perTest',
  concurrency: 1,
  incremental: true,
  incrementalFile: 'reports/mutation/stryker-incremental.json',
  reporters: ['clear-text', 'progress', 'json', 'html'],
  jsonReporter: { fileName: 'reports/mutation/mutation.json' },
  htmlReporter: { fileName: 'reports/mutation/mutation.html' },
  thresholds: { high: 90, low: 80, break: 80 },
  tempDirName: '.stryker-tmp',
  cleanTempDir: 'always',
};
