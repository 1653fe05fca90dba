import { type ExperimentPlan, ExperimentPlanSchema } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { planText } from '../src/commands/experiment-text.js';

const row = (phase: 'meta-train' | 'unseen', role: 'base' | 'optimizer', batch: boolean) => ({
  cell: 'd/s42/train/metaspo',
  phase,
  domain: 'd',
  seed: 42,
  method: 'metaspo',
  model: role === 'base' ? 'openai:gpt-4o-mini' : 'openai:gpt-4o',
  role,
  requests: 1000,
  shared: 0,
  bound: 'exact' as const,
  cached: 0,
  inputTokens: 500_000,
  outputTokens: 100_000,
  costUsd: batch ? 0.0675 : role === 'base' ? 0.135 : 2.25,
  execution: batch ? ('batch' as const) : ('live' as const),
  liveCostUsd: role === 'base' ? 0.135 : 2.25,
  batchWaves: batch ? 5 : 0,
});

/** A plan as `experiments.plan` returns it (parsed by its schema), base rows batch or live. */
function plan(batch: boolean): ExperimentPlan {
  const model = (name: string, requests: number, cost: number, live: number, viaBatch: number) => ({
    model: name,
    requests,
    bound: 'exact' as const,
    cached: 0,
    inputTokens: 500_000,
    outputTokens: 100_000,
    costUsd: cost,
    price: { input: 0.15, output: 0.6 },
    batchRequests: viaBatch,
    batchPrice: { input: 0.075, output: 0.3 },
    liveCostUsd: live,
    savedUsd: live - cost,
  });
  return ExperimentPlanSchema.parse({
    rows: [row('meta-train', 'base', batch), row('meta-train', 'optimizer', false)],
    models: [
      model('openai:gpt-4o-mini', 1000, batch ? 0.0675 : 0.135, 0.135, batch ? 1000 : 0),
      model('openai:gpt-4o', 1000, 2.25, 2.25, 0),
    ],
    totals: {
      requests: 2000,
      cached: 0,
      costUsd: batch ? 2.3175 : 2.385,
      liveCostUsd: 2.385,
      savedUsd: batch ? 0.0675 : 0,
      wallSeconds: batch ? 18_016 : 32,
      batchWaitSeconds: batch ? 18_000 : 0,
    },
    unknownPrices: [],
    cacheChecked: true,
    confirmReasons: [],
    simulated: false,
  });
}

describe('the plan as text', () => {
  it('shows per model what goes through the batch API, its cost, the live cost and what batch saves', () => {
    const text = planText(plan(true));
    expect(text).toContain(
      'openai:gpt-4o-mini: 1,000 requests (exact), 1,000 through the batch API, 0 already cached, ' +
        '~500k input / ~100k output tokens, $0.0675 (live $0.1350, batch saves $0.0675)',
    );
    expect(text).toContain(
      'openai:gpt-4o: 1,000 requests (exact), 0 already cached, ~500k input / ~100k output tokens, $2.2500\n',
    );
    expect(text).toContain('meta-train openai:gpt-4o-mini: 1,000 requests (batch), 0 cached, $0.0675');
    expect(text).toContain(
      'Total: 2,000 requests, 0 cached, $2.3175 (live $2.3850, batch saves $0.0675), about 5h0m',
    );
    expect(text).toContain('(5h0m of it waiting on batches, at the configured turnaround)');
  });

  it('reads as before for a live plan: one cost, no batch waits', () => {
    const text = planText(plan(false));
    expect(text).not.toContain('batch');
    expect(text).toContain('~500k input / ~100k output tokens, $0.1350\n');
    expect(text).toContain(
      'Total: 2,000 requests, 0 cached, $2.3850, about 32s at the configured concurrency and latency.',
    );
  });
});
