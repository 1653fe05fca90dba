import fs from 'node:fs';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, REPO_ROOT, runCli, tempDir } from '../support/cli-process.js';

describe('a mistake caught before the run exists (real processes)', () => {
  const dataDir = tempDir('preflight');
  const env = cliEnv({ METASPO_DATA_DIR: dataDir });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('refuses baseModel sim:defualt naming the field and its line, and creates no run', async () => {
    const quick = fs.readFileSync(path.join(REPO_ROOT, 'configs/quick.yaml'), 'utf8');
    const typo = quick.replace('baseModel: sim:default', 'baseModel: sim:defualt');
    expect(typo).not.toBe(quick);
    const line = typo.split('\n').findIndex((l) => l.startsWith('baseModel:')) + 1;
    const config = path.join(dataDir, 'typo.yaml');
    fs.writeFileSync(config, typo);

    const train = await runCli(['train', '--config', config], env);
    expect(train.code).not.toBe(0);
    expect(train.stderr).toContain('baseModel');
    expect(train.stderr).toContain('sim:defualt');
    expect(train.stderr).toContain(`line ${line}`);
    expect(train.stderr).not.toMatch(/"code":|at .*\.ts:\d+/);

    const list = await runCli(['runs', 'list', '--json'], env);
    expect(list.code, list.stderr).toBe(0);
    expect(JSON.parse(list.stdout)).toEqual([]);
  }, 120_000);

  it('prints the preflight warnings of a run that starts, at their file, line and field', async () => {
    const quick = fs.readFileSync(path.join(REPO_ROOT, 'configs/quick.yaml'), 'utf8');
    // The procedural tasks have 500 test examples; protegi has no outer loop to race.
    const text = quick
      .replace('method: metaspo', 'method: protegi')
      .replace(/^testSize: .*$/m, 'testSize: 600')
      .replace(/^iterations: .*$/m, 'iterations: 1\nadaptIterations: 1\nselection: racing');
    const config = path.join(dataDir, 'warned.yaml');
    fs.writeFileSync(config, text);
    const lineOf = (key: string) => text.split('\n').findIndex((l) => l.startsWith(`${key}:`)) + 1;

    const train = await runCli(['train', '--config', config], env);
    expect(train.code, train.stderr).toBe(0);
    expect(train.stderr).toContain(
      `warning: ${config}:${lineOf('testSize')} testSize: task proc_tracking_swaps has 500 test examples: testSize 600 evaluates all 500`,
    );
    expect(train.stderr).toContain(
      `warning: ${config}:${lineOf('selection')} selection: racing races the outer loop's system candidates; method protegi has none`,
    );
  }, 120_000);
});
