import { readFileSync } from 'node:fs';

const sourceLines = (packageDir, file) => readFileSync(new URL(file, packageDir), 'utf8').split('\n');

/** The first line after `start` indented as `start` that closes its block, or -1. */
function closingLine(lines, start) {
  const indent = /^ */.exec(lines[start])[0];
  return lines.findIndex((line, i) => i > start && line.startsWith(`${indent}}`));
}

/**
 * The Stryker `mutate` entry for a function's lines (`file:start-end`), found in the source when
 * the config loads, so the range follows the function when the file around it changes. The
 * function starts at a top-level `function <name>(` (exported, async or not) and ends at the
 * first line after it that starts with `}`.
 */
export function functionLines(packageDir, file, name) {
  const lines = sourceLines(packageDir, file);
  const start = lines.findIndex((line) => new RegExp(`^(export )?(async )?function ${name}[(<]`).test(line));
  if (start === -1) throw new Error(`${file}: no top-level function ${name} to mutate`);
  const end = closingLine(lines, start);
  if (end === -1) throw new Error(`${file}: function ${name} has no closing brace at column 0`);
  return `${file}:${start + 1}-${end + 1}`;
}

/**
 * The `mutate` entry for one statement inside a function, found by a piece of its first line
 * (which must occur on exactly one line of the file): that line alone, or, when it opens a block
 * (ends with `{`), through the `}` that closes it at the same indentation.
 */
export function statementLines(packageDir, file, firstLineText) {
  const lines = sourceLines(packageDir, file);
  const matches = lines.flatMap((line, i) => (line.includes(firstLineText) ? [i] : []));
  if (matches.length !== 1) {
    throw new Error(`${file}: ${matches.length} lines contain "${firstLineText}" (one is needed)`);
  }
  const start = matches[0];
  if (!lines[start].trimEnd().endsWith('{')) return `${file}:${start + 1}-${start + 1}`;
  const end = closingLine(lines, start);
  if (end === -1) throw new Error(`${file}: the block at line ${start + 1} has no closing brace`);
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
