import { type RunConfigInput, RunConfigSchema } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import type { PreflightFindings } from '../src/preflight/findings.js';
import type { ResolvedTask } from '../src/preflight/preflight.js';
import { checkRacing } from '../src/preflight/racing-checks.js';

const tasks: ResolvedTask[] = [
  { id: 'proc_navigation', segments: ['metaTrainTasks', 0], metric: 'accuracy' },
  { id: 'safety_a', segments: ['metaTrainTasks', 1], metric: 'macro-f1' },
];

function warnings(input: Partial<RunConfigInput>, resolved: ResolvedTask[] = tasks.slice(0, 1)) {
  const findings: PreflightFindings = { issues: [], warnings: [] };
  checkRacing(
    RunConfigSchema.parse({ metaTrainTasks: resolved.map((t) => t.id), ...input }),
    resolved,
    findings,
  );
  expect(findings.issues).toEqual([]);
  return findings.warnings;
}

describe('the preflight’s racing warnings', () => {
  it('says nothing for full selection or a race that does what it says', () => {
    expect(warnings({})).toEqual([]);
    expect(warnings({ selection: 'racing', userSelection: 'racing' })).toEqual([]);
    // A macro-F1 task is not raced under full selection.
    expect(warnings({}, tasks)).toEqual([]);
  });

  it('names the field of a loop the method does not have', () => {
    for (const method of ['outer-loop', 'ape'] as const) {
      expect(warnings({ method, userSelection: 'racing' })).toEqual([
        expect.objectContaining({
          path: 'userSelection',
          message: `racing races the user candidates of an inner loop or of ProTeGi; method ${method} has none, so it scores in full`,
        }),
      ]);
    }
    // ProTeGi races its levels' user prompts; it has no outer loop.
    expect(warnings({ method: 'protegi', userSelection: 'racing' })).toEqual([]);
    expect(warnings({ method: 'protegi', selection: 'racing' })).toEqual([
      expect.objectContaining({ path: 'selection' }),
    ]);
  });

  it('names the tasks whose metric the race does not compare', () => {
    expect(warnings({ selection: 'racing' }, tasks)).toEqual([
      expect.objectContaining({
        path: 'selection',
        message: expect.stringContaining('safety_a (macro-f1) is scored otherwise'),
      }),
    ]);
  });

  it('counts the batch turnarounds a raced loop waits for', () => {
    // trainSize 50: rounds on 7, 13, 25, then 50.
    expect(warnings({ selection: 'racing', execution: 'batch', trainSize: 50 })).toEqual([
      expect.objectContaining({ path: 'execution', message: expect.stringContaining('4 batch turnarounds') }),
    ]);
    // A sample too small to race in rounds waits once.
    expect(warnings({ selection: 'racing', execution: 'batch', trainSize: 8 })).toEqual([]);
  });
});
