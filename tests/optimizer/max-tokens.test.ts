import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd, smallConfig, TRAIN_TASKS } from './support/helpers.js';
import { createPlatform, type Platform } from './support/platform.js';

/** The run's `maxTokens` reaches every base-model call: the simulator cuts replies at the cap. */
describe('maxTokens of base-model calls', () => {
  let platform: Platform;
  beforeAll(async () => {
    platform = await createPlatform();
  });
  afterAll(async () => platform?.close());

  const initialScores = async (maxTokens?: number) => {
    const run = await runToEnd(
      platform,
      smallConfig({
        method: 'protegi',
        adaptIterations: 1,
        numUserCandidates: 1,
        userTopK: 1,
        beamSize: 1,
        trainSize: 10,
        testSize: 10,
        ...(maxTokens === undefined ? {} : { maxTokens }),
      }),
    );
    expect(run.status).toBe('completed');
    expect(run.config.maxTokens).toBe(maxTokens ?? 3000);
    return platform.optimizer
      .listNodes(run.id)
      .filter((n) => n.phase === 'initial')
      .map((n) => n.trainScore);
  };

  it('defaults to the reference cap of 3000 tokens, which leaves answers whole', async () => {
    const scores = await initialScores();
    expect(scores.some((s) => (s ?? 0) > 0)).toBe(true);
  }, 60_000);

  it('a tiny cap truncates every answer before its <answer> tag, so nothing scores', async () => {
    expect(await initialScores(2)).toEqual(TRAIN_TASKS.map(() => 0));
  }, 60_000);
});
