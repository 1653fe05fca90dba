import type { ExperimentPlan, ExperimentPlanRow } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import {
  adaptChart,
  batchShareText,
  differenceSign,
  differenceText,
  durationText,
  intervalText,
  planCostText,
  planGroups,
  planUsesBatch,
} from '../src/lib/experiment-view.js';

const row = (overrides: Partial<ExperimentPlanRow>): ExperimentPlanRow => ({
  cell: 'train/tracking/42/metaspo',
  phase: 'meta-train',
  domain: 'tracking',
  seed: 42,
  method: 'metaspo',
  model: 'openai:gpt-4o-mini',
  role: 'optimizer',
  requests: 10,
  bound: 'exact',
  shared: 0,
  cached: 0,
  inputTokens: 100,
  outputTokens: 20,
  costUsd: 0.5,
  execution: 'live',
  liveCostUsd: 0.5,
  batchWaves: 0,
  ...overrides,
});

const plan = (rows: ExperimentPlanRow[]): ExperimentPlan => ({
  rows,
  models: [],
  totals: {
    requests: 0,
    cached: 0,
    costUsd: null,
    liveCostUsd: null,
    savedUsd: null,
    wallSeconds: 0,
    batchWaitSeconds: 0,
  },
  unknownPrices: [],
  cacheChecked: true,
  confirmReasons: [],
  simulated: false,
});

describe('the experiment page figures', () => {
  it('sums the plan per model and phase, keeps an upper bound and an unknown price', () => {
    const groups = planGroups(
      plan([
        row({ phase: 'unseen', model: 'openai-compatible:llama', role: 'base', costUsd: null, requests: 5 }),
        row({ requests: 10, cached: 2 }),
        row({ requests: 7, bound: 'upper', cached: 1, costUsd: 0.25 }),
        row({
          phase: 'meta-train',
          model: 'openai-compatible:llama',
          role: 'base',
          costUsd: null,
          requests: 3,
        }),
        row({ phase: 'meta-train', model: 'openai-compatible:llama', role: 'base', costUsd: 1, requests: 4 }),
      ]),
    );
    expect(groups).toEqual([
      {
        model: 'openai-compatible:llama',
        phase: 'meta-train',
        requests: 7,
        upper: false,
        cached: 0,
        inputTokens: 200,
        outputTokens: 40,
        costUsd: null,
        batch: false,
      },
      {
        model: 'openai-compatible:llama',
        phase: 'unseen',
        requests: 5,
        upper: false,
        cached: 0,
        inputTokens: 100,
        outputTokens: 20,
        costUsd: null,
        batch: false,
      },
      {
        model: 'openai:gpt-4o-mini',
        phase: 'meta-train',
        requests: 17,
        upper: true,
        cached: 3,
        inputTokens: 200,
        outputTokens: 40,
        costUsd: 0.75,
        batch: false,
      },
    ]);
    expect(groups.map((g) => planCostText(g.costUsd))).toEqual(['unknown price', 'unknown price', '$0.75']);
    expect(planCostText(0)).toBe('$0');
    expect(planCostText(0.00123)).toBe('$0.0012');
  });

  it('marks a group batch when any of its rows goes through the batch API, and gives the batch share', () => {
    const groups = planGroups(
      plan([
        row({
          phase: 'unseen',
          role: 'base',
          execution: 'batch',
          costUsd: 0.25,
          liveCostUsd: 0.5,
          batchWaves: 1,
        }),
        row({ phase: 'unseen', role: 'base' }),
        row({ phase: 'adapt', role: 'base' }),
      ]),
    );
    expect(groups.map((g) => [g.phase, g.batch, g.costUsd])).toEqual([
      ['unseen', true, 0.75],
      ['adapt', false, 0.5],
    ]);
    const model = {
      model: 'openai:gpt-4o-mini',
      requests: 3,
      bound: 'exact' as const,
      cached: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      price: null,
      batchRequests: 2,
      batchPrice: null,
      liveCostUsd: 0,
      savedUsd: 0,
    };
    expect(batchShareText(model)).toBe('67%');
    expect(batchShareText({ ...model, requests: 0, batchRequests: 0 })).toBe('–');
    expect(planUsesBatch({ ...plan([]), models: [model] })).toBe(true);
    expect(planUsesBatch({ ...plan([]), models: [{ ...model, batchRequests: 0 }] })).toBe(false);
  });

  it('writes intervals in percent and differences in signed points', () => {
    expect(intervalText({ estimate: 0.4167, low: 0.3, high: 0.5333 })).toBe('41.7% [30.0, 53.3]');
    const diff = { estimate: 0.05, low: -0.0125, high: 0.1 };
    expect(differenceText(diff)).toBe('+5.0 [-1.3, +10.0]');
    expect(differenceSign(diff)).toBe('spans');
    expect(differenceSign({ estimate: 0.1, low: 0.01, high: 0.2 })).toBe('above');
    expect(differenceSign({ estimate: -0.1, low: -0.2, high: -0.01 })).toBe('below');
  });

  it('turns adaptation curves into chart rows, a shorter curve leaving a gap', () => {
    const chart = adaptChart({
      meanCurves: { default: [0.4, 0.5, 0.6], metaspo: [0.55, 0.7] },
      iterationsToReachDefault: { default: 2, metaspo: 1 },
      reachedShare: { default: 1, metaspo: 1 },
    });
    expect(chart.rows).toEqual([
      { iteration: 0, default: 0.4, metaspo: 0.55 },
      { iteration: 1, default: 0.5, metaspo: 0.7 },
      { iteration: 2, default: 0.6, metaspo: null },
    ]);
    expect(chart.series).toEqual([
      { key: 'default', label: 'default', emphasis: false },
      { key: 'metaspo', label: 'metaspo', emphasis: true },
    ]);
  });

  it('gives durations in the unit that reads best', () => {
    expect(durationText(null)).toBe('–');
    expect(durationText(12.4)).toBe('12 s');
    expect(durationText(600)).toBe('10 min');
    expect(durationText(3 * 3600 + 5 * 60)).toBe('3 h 5 min');
  });
});
