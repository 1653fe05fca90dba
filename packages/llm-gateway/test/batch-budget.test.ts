import type { CompletionOutcome } from '@metaspo/schemas';
import { type SimServer, startSimServer } from '@metaspo/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { promptTokenEstimate } from '../src/attempt-cost.js';
import { BATCH_ANSWER_KEY, batchGateway, evaluationRequests, SIM_PRICE } from './batch-support.js';
import { tempDatabaseFile } from './helpers.js';

const sims: SimServer[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const sim of sims.splice(0)) await sim.close();
});

async function setup(completionDelayMs: number) {
  const sim = await startSimServer({
    answerKey: BATCH_ANSWER_KEY,
    malformedRate: 0,
    batch: { completionDelayMs },
  });
  sims.push(sim);
  const gateway = batchGateway(sim.url, tempDatabaseFile());
  closers.push(() => gateway.close());
  return { sim, gateway };
}

/** A line's estimate at the batch price (half of SIM_PRICE): prompt estimate plus maxTokens out. */
const estimateOf = (request: Parameters<typeof promptTokenEstimate>[0]) =>
  ((promptTokenEstimate(request) * SIM_PRICE.input + (request.maxTokens ?? 0) * SIM_PRICE.output) / 1e6) *
  0.5;

const errorKinds = (outcomes: CompletionOutcome[]) => outcomes.map((o) => (o.ok ? 'ok' : o.error.kind));

describe('budgets under batch execution', () => {
  it("reserves each line's estimated cost at submission, refuses the lines past maxUsd, and settles at the batch price", async () => {
    const { sim, gateway } = await setup(300);
    const requests = evaluationRequests('openai:default', 6, 'run-budget').map((r) => ({
      ...r,
      maxTokens: 200,
    }));
    const estimates = requests.map(estimateOf);
    // Room for the first four lines' estimates, not the fifth's.
    const maxUsd = estimates.slice(0, 4).reduce((a, b) => a + b, 0) + estimates[4]! / 2;
    gateway.setBudget({ runId: 'run-budget', maxUsd });

    const pending = gateway.completeBatch(requests, { execution: 'batch' });
    await expect.poll(() => gateway.pendingBatches().length, { interval: 10 }).toBe(1);
    const held = gateway.getBudget('run-budget');
    expect(held.reservedUsd).toBeCloseTo(
      estimates.slice(0, 4).reduce((a, b) => a + b, 0),
      12,
    );
    expect(held.inFlightCalls).toBe(4);
    expect(gateway.pendingBatches()[0]).toMatchObject({ lines: 4, runIds: ['run-budget'] });

    const outcomes = await pending;
    expect(errorKinds(outcomes)).toEqual(['ok', 'ok', 'ok', 'ok', 'budget-exceeded', 'budget-exceeded']);
    expect(sim.stats().batches).toMatchObject({ batches: 1, lines: 4 });
    const settled = gateway.getBudget('run-budget');
    expect(settled).toMatchObject({ reservedUsd: 0, inFlightCalls: 0, paidCalls: 4 });
    // The answers cost less than their estimates (maxTokens of output each), so the run goes on.
    expect(settled.spentUsd).toBeLessThan(held.reservedUsd);
  });

  it("reserves a pending job's lines again in the gateway that resumes it", async () => {
    const sim = await startSimServer({
      answerKey: BATCH_ANSWER_KEY,
      malformedRate: 0,
      batch: { completionDelayMs: 600 },
    });
    sims.push(sim);
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests('openai:default', 4, 'run-resumed').map((r) => ({
      ...r,
      maxTokens: 100,
    }));
    const reserved = requests.map(estimateOf).reduce((a, b) => a + b, 0);
    const first = batchGateway(sim.url, databaseFile);
    first.setBudget({ runId: 'run-resumed', maxUsd: 1 });
    const cut = first.completeBatch(requests, { execution: 'batch' });
    await expect.poll(() => sim.stats().batches.batches, { interval: 10 }).toBe(1);
    await first.close();
    expect(errorKinds(await cut)).toEqual(['cancelled', 'cancelled', 'cancelled', 'cancelled']);

    const resumed = batchGateway(sim.url, databaseFile);
    closers.push(() => resumed.close());
    resumed.setBudget({ runId: 'run-resumed', maxUsd: 1 });
    const outcomes = resumed.completeBatch(requests, { execution: 'batch' });
    await expect.poll(() => resumed.pendingBatches().length, { interval: 10 }).toBe(1);
    expect(resumed.getBudget('run-resumed').reservedUsd).toBeCloseTo(reserved, 12);
    expect(resumed.getBudget('run-resumed').inFlightCalls).toBe(4);
    expect(errorKinds(await outcomes)).toEqual(['ok', 'ok', 'ok', 'ok']);
    expect(sim.stats().batches.batches).toBe(1);
    expect(resumed.getBudget('run-resumed')).toMatchObject({
      reservedUsd: 0,
      inFlightCalls: 0,
      paidCalls: 4,
    });
  });

  it('shows in usage what the batch price saved against the live price', async () => {
    const { gateway } = await setup(20);
    const requests = evaluationRequests('openai:default', 5, 'run-saved');
    await gateway.completeBatch(requests, { execution: 'batch' });
    const { totals, byModel } = gateway.usage('run-saved');
    const liveCost =
      (totals.promptTokens * SIM_PRICE.input + totals.completionTokens * SIM_PRICE.output) / 1e6;
    expect(totals.costUsd).toBeCloseTo(liveCost / 2, 12);
    expect(totals.savedUsd).toBeCloseTo(liveCost / 2, 12);
    expect(byModel[0]?.savedUsd).toBeCloseTo(liveCost / 2, 12);

    // A replay from the cache costs nothing and saves nothing more; live calls save nothing.
    await gateway.completeBatch(requests, { execution: 'batch' });
    await gateway.completeBatch(evaluationRequests('openai:default', 7, 'run-saved').slice(5), {});
    const after = gateway.usage('run-saved').totals;
    expect(after.savedUsd).toBeCloseTo(liveCost / 2, 12);
    expect(after.paidCalls).toBe(7);
  });
});
