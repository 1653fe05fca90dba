import type { ExperimentPlan } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createPlatform, type Platform } from './support/platform.js';

/** Built-in list prices (USD per million tokens): the gateway's price table, not this test's. */
const BASE = 'openai:gpt-4o-mini';
const BASE_LIVE = { input: 0.15, output: 0.6 };
const OPTIMIZER = 'openai:gpt-4o';
const OPTIMIZER_LIVE = { input: 2.5, output: 10 };

/** A small experiment on two procedural tasks, both protocols; only `execution` varies. */
const config = (overrides: Record<string, unknown> = {}) => ({
  name: 'batch-plan',
  domains: [
    {
      name: 'tracking',
      metaTrainTasks: ['proc_tracking_swaps', 'proc_navigation'],
      metaTestTasks: ['proc_object_counting'],
    },
  ],
  methods: ['default', 'metaspo'],
  baseModel: BASE,
  optimizerModel: OPTIMIZER,
  run: { iterations: 2, numSystemCandidates: 2, numUserCandidates: 2, trainSize: 8, testSize: 10 },
  ...overrides,
});

const modelOf = (plan: ExperimentPlan, model: string) => {
  const found = plan.models.find((m) => m.model === model);
  if (!found) throw new Error(`no plan row for ${model}`);
  return found;
};
const usd = (tokens: { inputTokens: number; outputTokens: number }, price: typeof BASE_LIVE) =>
  (tokens.inputTokens * price.input + tokens.outputTokens * price.output) / 1_000_000;

describe('the experiment plan of execution: batch', () => {
  let platform: Platform;
  let live: ExperimentPlan;
  let batch: ExperimentPlan;

  beforeAll(async () => {
    // A key makes the gateway's OpenAI batch API available; the plan sends nothing to that port.
    platform = await createPlatform({
      env: { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: 'http://127.0.0.1:9/v1' },
    });
    live = await platform.optimizer.experiments.plan(config());
    batch = await platform.optimizer.experiments.plan(config({ execution: 'batch' }));
  });

  afterAll(async () => {
    await platform?.close();
  });

  it('prices a live config at the live price, every row live, nothing saved', () => {
    expect(live.rows.every((r) => r.execution === 'live' && r.batchWaves === 0)).toBe(true);
    const base = modelOf(live, BASE);
    expect(base.batchRequests).toBe(0);
    expect(base.requests).toBeGreaterThan(1000);
    expect(base.costUsd).toBeGreaterThan(0);
    expect(base.costUsd).toBeCloseTo(usd(base, BASE_LIVE), 12);
    expect(base.liveCostUsd).toBe(base.costUsd);
    expect(base.savedUsd).toBe(0);
    expect(modelOf(live, OPTIMIZER).costUsd).toBeCloseTo(usd(modelOf(live, OPTIMIZER), OPTIMIZER_LIVE), 12);
    expect(live.totals.savedUsd).toBe(0);
    expect(live.totals.batchWaitSeconds).toBe(0);
  });

  it('sends the base evaluations through the batch API at half the price, the optimizer live at its price', () => {
    const base = modelOf(batch, BASE);
    const liveBase = modelOf(live, BASE);
    expect(base.requests).toBe(liveBase.requests);
    expect(base.batchRequests).toBe(base.requests);
    expect(base.batchPrice).toEqual({ input: 0.075, output: 0.3 });
    expect(base.liveCostUsd).toBeCloseTo(liveBase.costUsd ?? Number.NaN, 12);
    expect(base.costUsd).toBeCloseTo((liveBase.costUsd ?? Number.NaN) / 2, 12);
    expect(base.savedUsd).toBeCloseTo((liveBase.costUsd ?? Number.NaN) / 2, 12);
    const optimizer = modelOf(batch, OPTIMIZER);
    expect(optimizer.batchRequests).toBe(0);
    expect(optimizer.costUsd).toBe(modelOf(live, OPTIMIZER).costUsd);
    expect(batch.rows.filter((r) => r.role === 'optimizer').every((r) => r.execution === 'live')).toBe(true);
    expect(batch.totals.savedUsd).toBeCloseTo(base.savedUsd ?? Number.NaN, 12);
    expect(batch.totals.costUsd).toBeCloseTo((live.totals.costUsd ?? Number.NaN) - (base.savedUsd ?? 0), 12);
  });

  it('waits a batch turnaround per wave: metaspo 1 + 2 per iteration, its test 1, unseen 1, adapt levels + 2', () => {
    const waves = new Map(
      batch.rows.filter((r) => r.role === 'base').map((r) => [`${r.cell}|${r.phase}`, r.batchWaves]),
    );
    expect(Object.fromEntries(waves)).toEqual({
      'tracking/s42/train/metaspo|meta-train': 1 + 2 * 2,
      'tracking/s42/train/metaspo|meta-train-test': 1,
      'tracking/s42/unseen|unseen': 1,
      // ProTeGi's root, its initial expansion and 6 rounds (the defaults), then the tests.
      'tracking/s42/adapt|adapt': 1 + 7 + 1,
    });
    const waveCount = [...waves.values()].reduce((n, w) => n + w, 0);
    expect(batch.totals.batchWaitSeconds).toBe(waveCount * 60 * 60);
    // The live part of the wall time is the optimizer's requests alone.
    expect(batch.totals.wallSeconds).toBeGreaterThan(batch.totals.batchWaitSeconds);
    expect(batch.totals.wallSeconds).toBeLessThan(batch.totals.batchWaitSeconds + live.totals.wallSeconds);
  });

  it('takes the turnaround from plan.batchTurnaroundMinutes', async () => {
    const quick = await platform.optimizer.experiments.plan(
      config({ execution: 'batch', plan: { batchTurnaroundMinutes: 5 } }),
    );
    expect(quick.totals.batchWaitSeconds).toBe(batch.totals.batchWaitSeconds / 12);
    expect(quick.totals.costUsd).toBe(batch.totals.costUsd);
  });

  it('plans a model without a batch API (the simulator) live, as the gateway will send it', async () => {
    const sim = await platform.optimizer.experiments.plan(
      config({ execution: 'batch', baseModel: 'sim:default', optimizerModel: 'sim:default' }),
    );
    expect(sim.rows.every((r) => r.execution === 'live')).toBe(true);
    expect(sim.totals.batchWaitSeconds).toBe(0);
    expect(sim.totals.costUsd).toBe(0);
  });
});
