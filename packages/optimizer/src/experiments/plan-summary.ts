import type { ExperimentPlan, ExperimentPlanRow, ModelPrice } from '@metaspo/schemas';
import type { GridCell } from './grid.js';
import type { PlanSettings } from './plan-requests.js';

/** A sum of costs, null when any part is unknown (a model without a price). */
const costSum = (costs: ReadonlyArray<number | null>) =>
  costs.reduce<number | null>((n, c) => (n === null || c === null ? null : n + c), 0);

/** What batch saves: never below 0 (rounding of two sums of the same requests). */
const savedOf = (live: number | null, paid: number | null) =>
  live === null || paid === null ? null : Math.max(0, live - paid);

const toSend = (r: ExperimentPlanRow) => r.requests - r.cached;

/**
 * Cells run one after another. A cell's live requests go `concurrency` at a time at
 * `plan.latencySeconds` each; each of its batch rows with something left to send waits its
 * waves of batches, `plan.batchTurnaroundMinutes` each (its lines within a wave run side by side
 * at the provider, so their number does not lengthen the wait).
 */
function wallTime(config: PlanSettings, grid: GridCell[], rows: ExperimentPlanRow[]) {
  let wallSeconds = 0;
  let batchWaitSeconds = 0;
  for (const cell of grid) {
    const mine = rows.filter((r) => r.cell === cell.key);
    const live = mine.filter((r) => r.execution === 'live').reduce((n, r) => n + toSend(r), 0);
    const batchWait = mine
      .filter((r) => r.execution === 'batch' && toSend(r) > 0)
      .reduce((n, r) => n + r.batchWaves * config.plan.batchTurnaroundMinutes * 60, 0);
    wallSeconds += Math.ceil(live / config.concurrency) * config.plan.latencySeconds + batchWait;
    batchWaitSeconds += batchWait;
  }
  return { wallSeconds, batchWaitSeconds };
}

/** Per model and in total: requests, tokens, the cost this config pays, at live prices, saved. */
export function summarizePlan(
  config: PlanSettings,
  grid: GridCell[],
  rows: ExperimentPlanRow[],
  prices: Map<string, ModelPrice> | null,
  cacheChecked: boolean,
): ExperimentPlan {
  const models = [...new Set(rows.map((r) => r.model))].map((model) => {
    const mine = rows.filter((r) => r.model === model);
    const sum = (f: (r: ExperimentPlanRow) => number) => mine.reduce((n, r) => n + f(r), 0);
    const known = prices?.get(model);
    const price = known?.price ?? null;
    const costUsd = price ? costSum(mine.map((r) => r.costUsd)) : null;
    const liveCostUsd = price ? costSum(mine.map((r) => r.liveCostUsd)) : null;
    return {
      model,
      requests: sum((r) => r.requests),
      bound: mine.some((r) => r.bound === 'upper') ? ('upper' as const) : ('exact' as const),
      cached: sum((r) => r.cached),
      inputTokens: sum((r) => r.inputTokens),
      outputTokens: sum((r) => r.outputTokens),
      costUsd,
      price,
      batchRequests: sum((r) => (r.execution === 'batch' ? r.requests : 0)),
      batchPrice: known?.batchPrice ?? null,
      liveCostUsd,
      savedUsd: savedOf(liveCostUsd, costUsd),
    };
  });
  const unknownPrices = models.filter((m) => m.price === null).map((m) => m.model);
  const requests = rows.reduce((n, r) => n + r.requests, 0);
  const cached = rows.reduce((n, r) => n + r.cached, 0);
  // Unknown prices are left out of the totals (and named in unknownPrices).
  const priced = models.filter((m) => m.costUsd !== null);
  const costUsd = priced.length === 0 ? null : priced.reduce((n, m) => n + (m.costUsd ?? 0), 0);
  const liveCostUsd = priced.length === 0 ? null : priced.reduce((n, m) => n + (m.liveCostUsd ?? 0), 0);
  const reasons: string[] = [];
  if (costUsd !== null && costUsd > config.plan.confirmAboveUsd) {
    reasons.push(`estimated cost $${costUsd.toFixed(2)} is above $${config.plan.confirmAboveUsd}`);
  }
  if (requests - cached > config.plan.confirmAboveRequests) {
    reasons.push(`${requests - cached} requests to send is above ${config.plan.confirmAboveRequests}`);
  }
  if (unknownPrices.length > 0 && requests - cached > 0) {
    reasons.push(`no known price for ${unknownPrices.join(', ')}`);
  }
  return {
    rows,
    models,
    totals: {
      requests,
      cached,
      costUsd,
      liveCostUsd,
      savedUsd: savedOf(liveCostUsd, costUsd),
      ...wallTime(config, grid, rows),
    },
    unknownPrices,
    cacheChecked,
    confirmReasons: reasons,
    simulated: config.baseModel.startsWith('sim:'),
  };
}
