import { ExperimentConfigSchema, RunConfigSchema } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { validateExperimentConfig } from '../src/experiments/config.js';
import { gridCells, metaTestOverrides } from '../src/experiments/grid.js';
import { evaluateOneNode, recordingEvaluator } from './fixtures/recording-evaluator.js';

/** Runs one train evaluation of a new node under `execution` and returns what the evaluator got. */
async function evaluationRequestUnder(execution: 'live' | 'batch' | undefined) {
  const evaluator = recordingEvaluator();
  const config = RunConfigSchema.parse({
    metaTrainTasks: ['t'],
    trainSize: 2,
    ...(execution ? { execution } : {}),
  });
  await evaluateOneNode(config, evaluator.client);
  return evaluator.requests[0]!;
}

describe('execution', () => {
  it('is live by default, and the evaluations of a live run carry no execution (the request as before)', async () => {
    expect(RunConfigSchema.parse({ metaTrainTasks: ['t'] }).execution).toBe('live');
    expect('execution' in (await evaluationRequestUnder(undefined))).toBe(false);
    expect('execution' in (await evaluationRequestUnder('live'))).toBe(false);
  });

  it("sends a batch run's evaluations with execution batch", async () => {
    expect(await evaluationRequestUnder('batch')).toMatchObject({ execution: 'batch', split: 'train' });
  });

  it('reaches every run and meta-test of an experiment from its top-level field, never from `run`', () => {
    const config = ExperimentConfigSchema.parse({
      name: 'e',
      domains: ['medical'],
      methods: ['default', 'metaspo'],
      baseModel: 'sim:default',
      optimizerModel: 'sim:default',
      execution: 'batch',
    });
    const cells = gridCells(config, [{ name: 'medical', metaTrainTasks: ['a'], metaTestTasks: ['b'] }]);
    expect(cells.map((c) => [c.kind, c.config.execution])).toEqual([
      ['train', 'batch'],
      ['unseen', 'batch'],
      ['adapt', 'batch'],
    ]);
    expect(metaTestOverrides(cells[1]!.config)).toMatchObject({ execution: 'batch' });
    const unlinked = gridCells({ ...config, methods: ['default'] }, [
      { name: 'medical', metaTrainTasks: ['a'], metaTestTasks: ['b'] },
    ]);
    expect(unlinked.map((c) => c.config.execution)).toEqual(['batch', 'batch']);

    const perRun = validateExperimentConfig({ ...config, run: { execution: 'batch' } });
    expect(perRun.ok).toBe(false);
    expect(perRun.issues).toEqual([expect.objectContaining({ path: 'run.execution' })]);
  });
});
