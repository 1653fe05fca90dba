import { describe, expect, it } from 'vitest';
import { DEFAULT_SYSTEM_PROMPT, RunConfigSchema } from './run-config.js';

describe('RunConfigSchema', () => {
  it('fills every hyperparameter with the reference defaults', () => {
    const config = RunConfigSchema.parse({ metaTrainTasks: 'medical' });
    expect(config).toMatchObject({
      method: 'metaspo',
      iterations: 3,
      numSystemCandidates: 9,
      numUserCandidates: 3,
      userTopK: 3,
      trainSize: 50,
      testSize: 500,
      seed: 42,
      baseTemperature: 0,
      optimizerTemperature: 1,
      wrongExamplesInner: 3,
      wrongExamplesPerTask: 2,
      initialSystemPrompt: DEFAULT_SYSTEM_PROMPT,
      unseenUserPrompts: 10,
      adaptIterations: 6,
      beamSize: 3,
      maxMalformedRetries: 2,
    });
  });

  it('scores system candidates in full unless racing is asked for, on a train sample of any size', () => {
    expect(RunConfigSchema.parse({ metaTrainTasks: 'medical' }).selection).toBe('full');
    expect(RunConfigSchema.parse({ metaTrainTasks: 'medical', selection: 'racing' }).selection).toBe(
      'racing',
    );
    expect(RunConfigSchema.safeParse({ metaTrainTasks: 'medical', selection: 'sometimes' }).success).toBe(
      false,
    );
    const big = RunConfigSchema.parse({ metaTrainTasks: 'medical', selection: 'racing', trainSize: 5_000 });
    expect([big.selection, big.trainSize]).toEqual(['racing', 5_000]);
  });

  it('accepts an explicit task list', () => {
    const config = RunConfigSchema.parse({
      metaTrainTasks: ['anatomy', 'surgery'],
      metaTestTasks: ['dental'],
    });
    expect(config.metaTrainTasks).toEqual(['anatomy', 'surgery']);
  });

  it('names the field of every bad value', () => {
    const parsed = RunConfigSchema.safeParse({
      metaTrainTasks: [],
      iterations: 0,
      baseModel: 'nope',
      budget: { maxUsd: -1 },
      colour: 'red',
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error!.issues.map((i) => i.path.join('.'));
    expect(paths).toEqual(
      expect.arrayContaining(['iterations', 'baseModel', 'budget.maxUsd', 'metaTrainTasks']),
    );
    expect(parsed.error!.issues.find((i) => i.code === 'unrecognized_keys')?.message).toMatch(/colour/);
  });

  it('rejects a top-k larger than the candidates can fill', () => {
    const parsed = RunConfigSchema.safeParse({ metaTrainTasks: 'review', numUserCandidates: 1, userTopK: 5 });
    expect(parsed.error?.issues[0]).toMatchObject({
      path: ['userTopK'],
      message: expect.stringMatching(/cannot exceed/),
    });
  });
});
