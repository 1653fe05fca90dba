import { readFileSync } from 'node:fs';

/**
 * The Stryker `mutate` entry for a function's lines (`file:start-end`), found in the source when
 * the config loads, so the range follows the function when the file around it changes. The
 * function starts at a top-level `function <name>(` (exported, async or not) and ends at the
 * first line that is a lone `}` after it.
 */
export function functionLines(packageDir, file, name) {
  const lines = readFileSync(new URL(file, packageDir), 'utf8').split('\n');
  const start = lines.findIndex((line) => new RegExp(`^(export )?(async )?function ${name}[(<]`).test(line));
  if (start === -1) throw new Error(`${file}: no top-level function ${name} to mutate`);
  const end = lines.findIndex((line, i) => i > start && line === '}');
  if (end === -1) throw new Error(`${file}: function ${name} has no closing brace at column 0`);
  return `${file}:${start + 1}-${end + 1}`;
}

/**
 * A package's Stryker config: `mutate` and any overrides on the settings every package runs
 * with (vitest on its `vitest.mutation.config.ts`, per-test coverage, one runner on the two
 * shared cores, incremental reports under reports/mutation, break below 80%).
 */
export function strykerConfig(mutate, overrides = {}) {
  return {
    $schema: '../../node_modules/@stryker-mutator/core/schema/stryker-schema.json',
    packageManager: 'pnpm',
    testRunner: 'vitest',
    plugins: ['@stryker-mutator/vitest-runner'],
    vitest: { configFile: 'vitest.mutation.config.ts' },
    mutate,
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
    ...overrides,
  };
}
