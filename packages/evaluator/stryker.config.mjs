import { strykerConfig } from '../../scripts/stryker-config.mjs';

/** Mutation testing of answer extraction and the metrics (docs/testing.md). */
export default strykerConfig(['src/extraction/**/*.ts', 'src/metrics/**/*.ts', '!src/**/*.test.ts']);
