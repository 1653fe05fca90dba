import { sharedVitestConfig } from '@metaspo/vitest-config';
import type { ViteUserConfig } from 'vitest/config';

/**
 * The tests Stryker runs against the bilevel loop's selection and acceptance and the racing
 * schedule (see stryker.config.mjs): fast tests on scripted clients. The whole-run algorithm
 * tests live in tests/optimizer, outside this package, and count every mutant as static.
 */
const mutationConfig: ViteUserConfig = {
  ...sharedVitestConfig,
  test: {
    ...sharedVitestConfig.test,
    include: [
      'test/selection-ties.test.ts',
      'test/racing-schedule.test.ts',
      'test/racing.test.ts',
      'test/inner-racing.test.ts',
      'test/protegi-racing.test.ts',
    ],
  },
};
export default mutationConfig;
