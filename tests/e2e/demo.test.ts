import path from 'node:path';
import { type DemoSummary, DemoSummarySchema } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, runCliJson, tempDir } from '../support/cli-process.js';
import { type SimProcess, startSimProcess } from '../support/sim-process.js';

/** The strict schema rejects a missing, extra or out-of-range field. */
function expectDemoShape(json: unknown): DemoSummary {
  const demo = DemoSummarySchema.parse(json);
  expect(demo.initialSystemPrompt).toBe('You are a helpful assistant.');
  expect(demo.calls.base).toBeGreaterThan(0);
  expect(demo.calls.optimizer).toBeGreaterThan(0);
  return demo;
}

describe('pnpm demo', () => {
  const dir = tempDir('demo');
  let sim: SimProcess;
  beforeAll(async () => {
    sim = await startSimProcess({ dataDir: path.join(dir, 'sim-server') });
  });
  afterAll(async () => {
    await sim.close();
  });

  it('prints the contract JSON, labelled simulated, with the optimized prompt better on meta-train and on unseen tasks', async () => {
    const demo = expectDemoShape(await runCliJson(['--data-dir', path.join(dir, 'sim'), 'demo', '--json']));
    expect(demo.simulated).toBe(true);
    expect(demo.metaTrain.after).toBeGreaterThan(demo.metaTrain.before);
    expect(demo.unseen.optimized).toBeGreaterThan(demo.unseen.default);
  });

  it('explains itself in text: prompts, scores, requests, the simulated label and how to open the admin app', async () => {
    const result = await runCli(['--data-dir', path.join(dir, 'sim'), 'demo']);
    expect(result.code).toBe(0);
    for (const expected of [
      'Initial system prompt:',
      'Optimized system prompt:',
      'Meta-train (source tasks, train split): before',
      'Unseen tasks (test split):',
      'served from the cache',
      'simulated',
      'metaspo serve --data-dir',
    ]) {
      expect(result.stdout).toContain(expected);
    }
  });

  it('runs against a real provider chosen by flags (the openai: provider against the simulator server)', async () => {
    const env = cliEnv({ OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'sk-test-demo-flags-key' });
    const before = (await sim.stats()).answered;
    const demo = expectDemoShape(
      await runCliJson(
        [
          '--data-dir',
          path.join(dir, 'real'),
          'demo',
          '--json',
          '--base-model',
          'openai:default',
          '--optimizer-model',
          'openai:default',
        ],
        env,
      ),
    );
    expect(demo.simulated).toBe(false);
    expect((await sim.stats()).answered - before).toBeGreaterThanOrEqual(demo.calls.optimizer);
  });
});
