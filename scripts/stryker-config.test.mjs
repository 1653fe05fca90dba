// functionLines and statementLines find a function's or a statement's lines in a real file,
// whatever comes before them; strykerConfig gives every package the same settings.
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { pathToFileURL } from 'node:url';
import { functionLines, statementLines, strykerConfig } from './stryker-config.mjs';

const dir = mkdtempSync(join(tmpdir(), 'stryker-config-'));
after(() => rmSync(dir, { recursive: true, force: true }));
const packageDir = pathToFileURL(`${dir}/`);
writeFileSync(
  join(dir, 'loops.ts'),
  [
    'const x = 1;',
    'async function innerLoop(a: number) {',
    '  if (a) {',
    '  }',
    '}',
    '',
    'export function cacheKeyOf<T>(t: T) {',
    '  return t;',
    '}',
    'function serve(limit: number) {',
    '  const declared = limit + 1;',
    '  if (declared > limit) {',
    '    if (limit) {',
    '    }',
    '    throw new Error();',
    '  }',
    '  return { limit, twice: limit };',
    '}',
  ].join('\n'),
);

test('an async function and an exported generic one, each to its closing brace', () => {
  assert.equal(functionLines(packageDir, 'loops.ts', 'innerLoop'), 'loops.ts:2-5');
  assert.equal(functionLines(packageDir, 'loops.ts', 'cacheKeyOf'), 'loops.ts:7-9');
});

test('a missing function is an error naming the file and the function', () => {
  assert.throws(
    () => functionLines(packageDir, 'loops.ts', 'outerLoop'),
    /loops\.ts: no top-level function outerLoop/,
  );
});

test('a statement: one line, or a block through the brace at its own indentation', () => {
  assert.equal(statementLines(packageDir, 'loops.ts', 'const declared ='), 'loops.ts:11-11');
  assert.equal(statementLines(packageDir, 'loops.ts', 'if (declared > limit) {'), 'loops.ts:12-16');
});

test('a statement text found on no line or on two is an error naming the file and the count', () => {
  assert.throws(
    () => statementLines(packageDir, 'loops.ts', 'missing()'),
    /loops\.ts: 0 lines contain "missing\(\)"/,
  );
  assert.throws(
    () => statementLines(packageDir, 'loops.ts', 'limit)'),
    /loops\.ts: 2 lines contain "limit\)"/,
  );
});

test('a Stryker config: the shared settings, the mutate list and the overrides', () => {
  const config = strykerConfig(['src/a.ts'], { timeoutMS: 1500 });
  assert.deepEqual(config.mutate, ['src/a.ts']);
  assert.equal(config.timeoutMS, 1500);
  assert.equal(config.concurrency, 1);
  assert.deepEqual(config.thresholds, { high: 90, low: 80, break: 80 });
  assert.equal(config.vitest.configFile, 'vitest.mutation.config.ts');
});
