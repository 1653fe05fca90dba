import { sharedVitestConfig } from '@metaspo/vitest-config';
import { mergeConfig } from 'vitest/config';

/** Browser tests start a server and a chromium: they run one file at a time with room to spare. */
export default mergeConfig(sharedVitestConfig, {
  test: { testTimeout: 60_000, hookTimeout: 90_000, fileParallelism: false },
});
