import { readFileSync } from 'node:fs';
import { RunConfigSchema } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { DEFAULT_CONFIG_YAML } from '../src/lib/config-draft.js';
import { EXPERIMENT_TEMPLATE } from '../src/lib/experiment-template.js';

describe('the new-run template', () => {
  it('writes out the schema defaults a run of its tasks gets, under the fields it always showed', () => {
    const written: unknown = parse(DEFAULT_CONFIG_YAML);
    expect(Object.keys(written ?? {})).toEqual([
      'method',
      'metaTrainTasks',
      'baseModel',
      'optimizerModel',
      'iterations',
      'numSystemCandidates',
      'numUserCandidates',
      'userTopK',
      'trainSize',
      'testSize',
      'seed',
      'initialSystemPrompt',
    ]);
    const tasksOnly = RunConfigSchema.parse({ metaTrainTasks: 'procedural' });
    // Nothing written differs from a default: the template parses to the config of its tasks alone.
    expect(RunConfigSchema.parse(written)).toEqual(tasksOnly);
  });

  it('is one line per field, the system prompt unwrapped', () => {
    expect(DEFAULT_CONFIG_YAML.trimEnd().split('\n')).toHaveLength(12);
  });
});

describe('the new-experiment template', () => {
  it('is configs/paper-sim.yaml without its comments', () => {
    const paperSim = readFileSync(new URL('../../../configs/paper-sim.yaml', import.meta.url), 'utf8');
    expect(parse(EXPERIMENT_TEMPLATE)).toEqual(parse(paperSim));
  });
});
