import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { validateRunConfigYaml } from '@metaspo/optimizer';
import { describe, expect, it } from 'vitest';
import { resolveMetaPrompts } from '../src/commands/train.js';

describe('train: metaPrompts in a run config', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-train-'));
  const configFile = path.join(dir, 'runs', 'my-run.yaml');
  fs.mkdirSync(path.dirname(configFile));
  fs.writeFileSync(path.join(dir, 'set.yaml'), 'format: metaspo-meta-prompts/1\nname: mine\n');

  it('replaces the path, read relative to the config file, by {source, text} on the same line', () => {
    const yaml = 'metaTrainTasks: medical\nmetaPrompts: ../set.yaml  # mine\niterations: 0\n';
    const resolved = resolveMetaPrompts(yaml, configFile);
    expect(resolved.split('\n')).toHaveLength(yaml.split('\n').length);
    const result = validateRunConfigYaml(resolved);
    // The line numbers of errors still point into the user's file (iterations is on line 3).
    expect(result.issues).toEqual([expect.objectContaining({ path: 'iterations', line: 3 })]);
    const fixed = validateRunConfigYaml(resolved.replace('iterations: 0', 'iterations: 1'));
    expect(fixed.config?.metaPrompts).toEqual({
      source: '../set.yaml',
      text: 'format: metaspo-meta-prompts/1\nname: mine\n',
    });
  });

  it('leaves a config without metaPrompts as it is and names the file it cannot read', () => {
    expect(resolveMetaPrompts('metaTrainTasks: medical\n', configFile)).toBe('metaTrainTasks: medical\n');
    expect(() => resolveMetaPrompts('metaPrompts: missing.yaml\n', configFile)).toThrow(
      `${configFile}: metaPrompts: cannot read ${path.join(dir, 'runs', 'missing.yaml')} (ENOENT)`,
    );
  });
});
