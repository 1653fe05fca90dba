import { RunConfigSchema } from '@metaspo/schemas';
import { Command, CommanderError } from 'commander';
import { describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { executionOption, withExecution } from '../src/commands/execution-option.js';
import { batchesText } from '../src/commands/run-progress.js';

const CONFIG = 'metaTrainTasks: [a, b]\n# a comment\ntrainSize: [oops]\n';

describe('--execution', () => {
  it('appends execution to a config without one, so the lines of its other fields stay where they were', () => {
    const text = withExecution(CONFIG, 'batch');
    expect(text.startsWith(CONFIG)).toBe(true);
    expect(YAML.parse(text)).toMatchObject({ execution: 'batch' });
    expect(withExecution('metaTrainTasks: [a]', 'batch')).toBe('metaTrainTasks: [a]\nexecution: batch\n');
  });

  it("overrides the file's execution in place", () => {
    const text = withExecution('execution: live # from the file\nmetaTrainTasks: [a]\n', 'batch');
    expect(text).toBe('execution: batch # from the file\nmetaTrainTasks: [a]\n');
    expect(RunConfigSchema.parse(YAML.parse(text)).execution).toBe('batch');
  });

  it('sets it in a flow mapping too, and leaves the text alone without the flag', () => {
    expect(YAML.parse(withExecution('{ metaTrainTasks: [a] }', 'batch'))).toEqual({
      metaTrainTasks: ['a'],
      execution: 'batch',
    });
    expect(withExecution(CONFIG, undefined)).toBe(CONFIG);
  });

  it('takes live or batch only', () => {
    const program = new Command().exitOverride().configureOutput({ writeErr: () => {} });
    program.addOption(executionOption('the run'));
    expect(program.parse(['--execution', 'batch'], { from: 'user' }).opts()).toEqual({ execution: 'batch' });
    expect(() => program.parse(['--execution', 'bulk'], { from: 'user' })).toThrow(CommanderError);
  });
});

describe('the progress line of a run waiting on batches', () => {
  const batch = (runIds: string[], lines: number, linesDone: number, ageMs: number) => ({
    runIds,
    lines,
    linesDone,
    ageMs,
  });

  it("counts the run's own pending batches, their lines done and the oldest's age", () => {
    const pending = [
      batch(['r1'], 40, 10, 8_000),
      batch(['r2'], 5, 0, 1_000),
      batch(['r1', 'r2'], 20, 20, 65_000),
    ];
    expect(batchesText(pending, 'r1')).toBe('waiting on 2 batches: 30/60 lines done, oldest 1m5s');
    expect(batchesText(pending, 'r2')).toBe('waiting on 2 batches: 20/25 lines done, oldest 1m5s');
    expect(batchesText([batch(['r1'], 3, 1, 2_400)], 'r1')).toBe(
      'waiting on 1 batch: 1/3 lines done, oldest 2s',
    );
    expect(batchesText(pending, 'r3')).toBe('');
  });

  it('says when a batch is being cancelled at the provider', () => {
    const cancelling = { ...batch(['r1'], 6, 2, 5_000), cancelReason: 'deadline' };
    expect(batchesText([cancelling, batch(['r1'], 4, 0, 1_000)], 'r1')).toBe(
      'waiting on 2 batches (1 being cancelled; their answered lines are kept): 2/10 lines done, oldest 5s',
    );
  });
});
