import { sharedVitestConfig } from '@metaspo/vitest-config';
import type { ViteUserConfig } from 'vitest/config';

/**
 * The tests Stryker runs against the bilevel loop's selection and acceptance (see
 * stryker.config.json): the ones that drive runBilevel. The whole suite would run every mutant
 * through meta-tests and baselines that never reach those lines.
 */
const mutationConfig: ViteUserConfig = {
  ...sharedVitestConfig,
  test: {
    ...sharedVitestConfig.test,
    include: [
      'test/selection-ties.test.ts',
      'test/algorithm.test.ts',
      'test/call-count.test.ts',
      'test/resume.test.ts',
      'test/malformed.test.ts',
    ],
  },
};
export default mutationConfig;
