import { strykerConfig } from '../../scripts/stryker-config.mjs';

/** Mutation testing of the registry's store and the reference splits (docs/testing.md), on the package's own vitest config. */
export default strykerConfig(['src/store.ts', 'src/split.ts'], {
  vitest: { configFile: 'vitest.config.ts' },
});
