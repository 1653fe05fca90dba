import { sharedVitestConfig } from '@metaspo/vitest-config';
import type { ViteUserConfig } from 'vitest/config';

/**
 * The tests Stryker runs against answer extraction and the metrics (see stryker.config.mjs):
 * the unit tests beside them and the service tests that score real responses.
 */
const mutationConfig: ViteUserConfig = {
  ...sharedVitestConfig,
  test: {
    ...sharedVitestConfig.test,
    include: [
      'src/extraction/*.test.ts',
      'src/metrics/*.test.ts',
      'test/scoring-modes.test.ts',
      'test/score-responses.test.ts',
    ],
  },
};
export default mutationConfig;
