import type { ExperimentPlan, ExperimentReport, IntervalValue } from '@metaspo/schemas';
import type { ChartSeries } from '../components/ScoreChart.js';

/** The plan's rows summed per model and phase: what the plan table shows before a start. */
export interface PlanGroup {
  model: string;
  phase: ExperimentPlan['rows'][number]['phase'];
  requests: number;
  /** Some row's count is an upper bound (drops of malformed candidates can only lower it). */
  upper: boolean;
  cached: number;
  inputTokens: number;
  outputTokens: number;
  /** null: the model has no known price. */
  costUsd: number | null;
  /** Some row's requests go through the provider's batch API (`execution: batch`). */
  batch: boolean;
}

const PHASE_ORDER = ['meta-train', 'meta-train-test', 'unseen', 'adapt'] as const;

export function planGroups(plan: ExperimentPlan): PlanGroup[] {
  const groups = new Map<string, PlanGroup>();
  for (const row of plan.rows) {
    const key = `${row.model}\u0000${row.phase}`;
    const group = groups.get(key) ?? {
      model: row.model,
      phase: row.phase,
      requests: 0,
      upper: false,
      cached: 0,
      inputTokens: 0,
      outputTokens: 0,
      costUsd: 0,
      batch: false,
    };
    group.requests += row.requests;
    group.upper ||= row.bound === 'upper';
    group.cached += row.cached;
    group.inputTokens += row.inputTokens;
    group.outputTokens += row.outputTokens;
    group.costUsd = group.costUsd === null || row.costUsd === null ? null : group.costUsd + row.costUsd;
    group.batch ||= row.execution === 'batch';
    groups.set(key, group);
  }
  return [...groups.values()].sort(
    (a, b) => a.model.localeCompare(b.model) || PHASE_ORDER.indexOf(a.phase) - PHASE_ORDER.indexOf(b.phase),
  );
}

/** A plan's cost: a model without a price has "unknown price", never $0. */
export function planCostText(costUsd: number | null): string {
  if (costUsd === null) return 'unknown price';
  if (costUsd === 0) return '$0';
  return costUsd < 0.01 ? `$${costUsd.toFixed(4)}` : `$${costUsd.toFixed(2)}`;
}

/** Whether any request of the plan goes through a batch API: only then does the view compare with live prices. */
export function planUsesBatch(plan: ExperimentPlan): boolean {
  return plan.models.some((m) => m.batchRequests > 0);
}

/** The share of a model's requests sent through the batch API, in whole percent. */
export function batchShareText(model: ExperimentPlan['models'][number]): string {
  if (model.requests === 0) return '–';
  return `${Math.round((model.batchRequests / model.requests) * 100)}%`;
}

export function durationText(seconds: number | null): string {
  if (seconds === null) return '–';
  if (seconds < 60) return `${Math.round(seconds)} s`;
  const minutes = Math.round(seconds / 60);
  if (minutes < 60) return `${minutes} min`;
  return `${Math.floor(minutes / 60)} h ${minutes % 60} min`;
}

const points = (x: number) => (x * 100).toFixed(1);
const signedPoints = (x: number) => `${x >= 0 ? '+' : ''}${points(x)}`;

/** A mean with its 95% interval in percent, as the Markdown report writes it. */
export function intervalText(value: IntervalValue): string {
  return `${points(value.estimate)}% [${points(value.low)}, ${points(value.high)}]`;
}

/** A difference in points with its interval. */
export function differenceText(value: IntervalValue): string {
  return `${signedPoints(value.estimate)} [${signedPoints(value.low)}, ${signedPoints(value.high)}]`;
}

/** Whether an interval of a difference lies wholly on one side of zero. */
export function differenceSign(value: IntervalValue): 'above' | 'below' | 'spans' {
  if (value.low > 0) return 'above';
  if (value.high < 0) return 'below';
  return 'spans';
}

export function unseenRowLabel(row: NonNullable<ExperimentReport['unseen']>[number]): string {
  if (row.kind === 'overall') return 'Overall average';
  if (row.kind === 'domain') return `${row.domain} average`;
  return row.taskId ?? '';
}

/** The adaptation curves as ScoreChart rows: one per iteration, one key per method. */
export function adaptChart(adapt: NonNullable<ExperimentReport['adapt']>): {
  rows: Array<Record<string, number | null>>;
  series: ChartSeries[];
} {
  const methods = Object.keys(adapt.meanCurves);
  const length = Math.max(0, ...methods.map((m) => adapt.meanCurves[m]?.length ?? 0));
  const rows = Array.from({ length }, (_, iteration) => {
    const row: Record<string, number | null> = { iteration };
    for (const method of methods) row[method] = adapt.meanCurves[method]?.[iteration] ?? null;
    return row;
  });
  return { rows, series: methods.map((m) => ({ key: m, label: m, emphasis: m === 'metaspo' })) };
}
