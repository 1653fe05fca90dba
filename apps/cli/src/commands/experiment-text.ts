import type { ExperimentPlan, ExperimentProgress, ExperimentRecord } from '@metaspo/schemas';
import { count } from '../numbers.js';

const money = (usd: number | null) => (usd === null ? 'unknown price' : `$${usd.toFixed(4)}`);
const tokens = (n: number) => (n >= 10_000 ? `${(n / 1000).toFixed(0)}k` : count(n));

function duration(seconds: number): string {
  const s = Math.max(0, Math.round(seconds));
  if (s >= 3600) return `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`;
  if (s >= 60) return `${Math.floor(s / 60)}m${s % 60}s`;
  return `${s}s`;
}

/** The plan as text: per model, then per phase and model, then totals and why it asks. */
export function planText(plan: ExperimentPlan): string {
  const lines: string[] = [];
  const sim = plan.simulated ? ' (simulated models: free)' : '';
  const bound = (b: string) => (b === 'upper' ? 'upper bound' : 'exact');
  lines.push(`Plan${sim}: no request has been sent.`, '', 'Per model:');
  // Only a plan with batch rows says live against batch: a live plan reads as it always did.
  const batched = plan.models.some((m) => m.batchRequests > 0);
  const batchCost = (paid: number | null, live: number | null, saved: number | null) =>
    `${money(paid)} (live ${money(live)}, batch saves ${money(saved)})`;
  for (const m of plan.models) {
    const viaBatch = m.batchRequests > 0 ? `, ${count(m.batchRequests)} through the batch API` : '';
    const cost = m.batchRequests > 0 ? batchCost(m.costUsd, m.liveCostUsd, m.savedUsd) : money(m.costUsd);
    lines.push(
      `  ${m.model}: ${count(m.requests)} requests (${bound(m.bound)})${viaBatch}, ${count(m.cached)} already cached, ` +
        `~${tokens(m.inputTokens)} input / ~${tokens(m.outputTokens)} output tokens, ${cost}`,
    );
  }
  lines.push('', 'Per phase:');
  const phases = new Map<
    string,
    { requests: number; cached: number; cost: number | null; upper: boolean; batch: boolean }
  >();
  for (const row of plan.rows) {
    const key = `${row.phase} ${row.model}`;
    const p = phases.get(key) ?? { requests: 0, cached: 0, cost: 0, upper: false, batch: false };
    p.requests += row.requests;
    p.cached += row.cached;
    p.cost = p.cost === null || row.costUsd === null ? null : p.cost + row.costUsd;
    p.upper ||= row.bound === 'upper';
    p.batch ||= row.execution === 'batch';
    phases.set(key, p);
  }
  for (const [key, p] of phases) {
    lines.push(
      `  ${key}: ${count(p.requests)} requests${p.upper ? ' (upper bound)' : ''}${p.batch ? ' (batch)' : ''}, ` +
        `${count(p.cached)} cached, ${money(p.cost)}`,
    );
  }
  const { totals } = plan;
  const totalCost = batched
    ? batchCost(totals.costUsd, totals.liveCostUsd, totals.savedUsd)
    : money(totals.costUsd);
  const waits =
    totals.batchWaitSeconds > 0
      ? ` (${duration(totals.batchWaitSeconds)} of it waiting on batches, at the configured turnaround)`
      : '';
  lines.push(
    '',
    `Total: ${count(totals.requests)} requests, ${count(totals.cached)} cached, ` +
      `${totalCost}, about ${duration(totals.wallSeconds)}${waits} at the configured concurrency and latency.`,
  );
  if (!plan.cacheChecked) lines.push('The gateway could not be asked what its cache holds.');
  for (const reason of plan.confirmReasons) lines.push(`Needs confirmation: ${reason}.`);
  return `${lines.join('\n')}\n`;
}

/** One progress line (plain output) or the bar's text (on a terminal). */
export function progressText(progress: ExperimentProgress, width = 24): { bar: string; line: string } {
  const share =
    progress.requestsPlanned === 0 ? 1 : Math.min(1, progress.requestsDone / progress.requestsPlanned);
  const filled = Math.round(share * width);
  const eta = progress.etaSeconds === null ? 'ETA not yet known' : `ETA ${duration(progress.etaSeconds)}`;
  const cost = progress.costUsd === null ? 'cost unknown' : `$${progress.costUsd.toFixed(4)}`;
  const line =
    `${count(progress.requestsDone)}/${count(progress.requestsPlanned)} requests  ${cost}  ${eta}  ` +
    `cells ${progress.cellsDone}/${progress.cellsTotal}${progress.currentCell ? `  ${progress.currentCell}` : ''}`;
  return { bar: `[${'#'.repeat(filled)}${'.'.repeat(width - filled)}] ${line}`, line };
}

export function experimentText(record: ExperimentRecord): string {
  const lines = [
    `experiment ${record.id} (${record.name}): ${record.status}${record.simulated ? ' (simulated)' : ''}`,
    `  ${progressText(record.progress).line}`,
  ];
  if (record.error) lines.push(`  error: ${record.error}`);
  for (const cell of record.cells) {
    lines.push(`  ${cell.key.padEnd(36)} ${cell.status.padEnd(15)} ${cell.runId ?? cell.metaTestId ?? ''}`);
  }
  return `${lines.join('\n')}\n`;
}
