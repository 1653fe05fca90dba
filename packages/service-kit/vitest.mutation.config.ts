import { sharedVitestConfig } from '@metaspo/vitest-config';
import type { ViteUserConfig } from 'vitest/config';

/**
 * The tests Stryker runs against Python random, the token guard and the body limit (see
 * stryker.config.mjs). serve.test.ts and client.test.ts also pass through the guard on every
 * request, but their graceful-close and abort tests take seconds per mutant and assert nothing
 * about the token or the limit that the files below do not.
 */
const mutationConfig: ViteUserConfig = {
  ...sharedVitestConfig,
  test: {
    ...sharedVitestConfig.test,
    include: [
      'src/python-random.test.ts',
      'src/python-random-draws.test.ts',
      'src/token-guard.test.ts',
      'src/body-limit.test.ts',
      'src/login.test.ts',
      'src/serve-guards.test.ts',
    ],
  },
};
export default mutationConfig;
