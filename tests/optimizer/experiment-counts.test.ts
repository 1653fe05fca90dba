import type { ExperimentPlan, ExperimentRecord } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  experimentPlatform,
  paperSimConfig,
  type SimPair,
  startSimPair,
} from './support/experiment-fixture.js';
import type { Platform } from './support/platform.js';

/** Each model on its own loopback simulator server (no malformed replies): /stats counts one model. */
const BASE = 'openai-compatible:default';
const OPTIMIZER = 'openai:default';

/** The plan's rows summed per (cell, model): requests it sends and whether all are exact. */
function plannedPerCell(plan: ExperimentPlan) {
  const out = new Map<string, { requests: number; exact: boolean }>();
  for (const row of plan.rows) {
    const key = `${row.cell}|${row.model}`;
    const entry = out.get(key) ?? { requests: 0, exact: true };
    entry.requests += row.requests;
    entry.exact &&= row.bound === 'exact';
    out.set(key, entry);
  }
  return out;
}

describe('configs/paper-sim.yaml: the plan against what the simulator servers receive', () => {
  let sims: SimPair;
  let platform: Platform;
  let plan: ExperimentPlan;
  let sentDuringPlan: number;
  let record: ExperimentRecord;
  const sent = () => ({ [BASE]: sims.base.stats().requests, [OPTIMIZER]: sims.optimizer.stats().requests });

  beforeAll(async () => {
    sims = await startSimPair();
    platform = await experimentPlatform(sims);
    plan = await platform.optimizer.experiments.plan(paperSimConfig());
    sentDuringPlan = sims.base.stats().requests + sims.optimizer.stats().requests;
    const created = await platform.optimizer.experiments.create(paperSimConfig());
    platform.optimizer.experiments.start(created.id);
    record = await platform.optimizer.experiments.wait(created.id);
  }, 300_000);

  afterAll(async () => {
    await platform?.close();
    await sims?.close();
  });

  it('plans without a request, then sends the optimizer exactly its planned requests', () => {
    expect(sentDuringPlan).toBe(0);
    expect(record.status).toBe('completed');
    const optimizer = plan.models.find((m) => m.model === OPTIMIZER);
    expect(optimizer?.bound).toBe('exact');
    expect(sent()[OPTIMIZER]).toBe(optimizer?.requests);
  });

  it('pays every cell exactly its planned requests where the plan says exact, shared work counted once', async () => {
    const planned = plannedPerCell(plan);
    let exactCells = 0;
    const paidBy = new Map<string, number>();
    for (const cell of record.cells) {
      const usage = await platform.llm.usage.query({ runId: (cell.runId ?? cell.metaTestId) as string });
      for (const { model, paidCalls } of usage.byModel) {
        paidBy.set(model, (paidBy.get(model) ?? 0) + paidCalls);
        const expected = planned.get(`${cell.key}|${model}`);
        expect(expected, `${cell.key} ${model}`).toBeDefined();
        if (expected?.exact) {
          expect(paidCalls, `${cell.key} ${model}`).toBe(expected.requests);
          exactCells += 1;
        }
      }
    }
    // Per domain: 4 trained methods x 2 models (SPRIG's base count is a bound), unseen and
    // adapt's optimizer requests (their base requests evaluate trained or generated prompts).
    expect(exactCells).toBe(2 * (4 * 2 - 1 + 2));
    expect(paidBy.get(BASE)).toBe(sent()[BASE]);
    expect(paidBy.get(OPTIMIZER)).toBe(sent()[OPTIMIZER]);
  });

  it('falls short of an upper bound only by whole evaluations the method skips', async () => {
    const config = paperSimConfig() as { run: { trainSize: number; testSize: number } };
    const planned = plannedPerCell(plan);
    let shortfall = 0;
    for (const cell of record.cells) {
      const expected = planned.get(`${cell.key}|${BASE}`);
      if (!expected || expected.exact) continue;
      const usage = await platform.llm.usage.query({ runId: (cell.runId ?? cell.metaTestId) as string });
      const paid = usage.byModel.find((m) => m.model === BASE)?.paidCalls ?? 0;
      const missing = expected.requests - paid;
      expect(missing, cell.key).toBeGreaterThanOrEqual(0);
      // SPRIG skips a repeated prompt (T x n requests); ProTeGi tests a re-kept node once, and a
      // prompt a meta-test compares twice is evaluated once (m requests per user prompt).
      const unit = cell.kind === 'train' ? 2 * config.run.trainSize : config.run.testSize;
      expect(missing % unit, cell.key).toBe(0);
      shortfall += missing;
    }
    const base = plan.models.find((m) => m.model === BASE);
    expect(sent()[BASE]).toBe((base?.requests ?? 0) - shortfall);
  });
});
