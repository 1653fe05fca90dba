import { sharedVitestConfig } from '@metaspo/vitest-config';
import type { ViteUserConfig } from 'vitest/config';

/**
 * The tests Stryker runs against the bilevel loop's selection and acceptance (see
 * stryker.config.json). The algorithm test runs its whole run in beforeAll, so Stryker counts
 * every mutant there as static and reruns all its tests for each: call-count, resume and
 * malformed (30 s a pass) would take most of an hour; these two take about 5 s.
 */
const mutationConfig: ViteUserConfig = {
  ...sharedVitestConfig,
  test: {
    ...sharedVitestConfig.test,
    include: ['test/selection-ties.test.ts', 'test/algorithm.test.ts'],
  },
};
export default mutationConfig;
