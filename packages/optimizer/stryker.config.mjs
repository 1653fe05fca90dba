import { functionLines, strykerConfig } from '../../scripts/stryker-config.mjs';

const here = new URL('./', import.meta.url);

/**
 * Mutation testing of the bilevel loop's selection and acceptance and of the racing rules
 * (docs/testing.md): the inner and outer loop functions, found by name when the config loads.
 */
export default strykerConfig([
  functionLines(here, 'src/methods/bilevel.ts', 'innerLoop'),
  functionLines(here, 'src/methods/bilevel.ts', 'outerLoop'),
  'src/engine/racing-schedule.ts',
  'src/selection/user-candidates.ts',
]);
