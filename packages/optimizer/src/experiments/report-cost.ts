import type { ExperimentPhase, ExperimentRecord, ExperimentReport, LlmClient } from '@metaspo/schemas';

/**
 * Planned against actual requests and cost per method and phase. A training run's requests are
 * one row (its train and test phases together: the ledger counts a run as a whole); a meta-test
 * carries every method, so its row is labelled "all methods". Actual = provider requests paid,
 * from the gateway's ledger (cache replays cost nothing).
 */
export async function experimentCost(
  record: ExperimentRecord,
  llm: LlmClient,
): Promise<ExperimentReport['cost']> {
  const rows = new Map<string, ExperimentReport['cost'][number]>();
  for (const cell of record.cells) {
    const method = cell.kind === 'train' ? (cell.method ?? 'unknown') : 'all methods';
    const phase: ExperimentPhase = cell.kind === 'train' ? 'meta-train' : cell.kind;
    const key = `${method}|${phase}`;
    const row = rows.get(key) ?? {
      method,
      phase,
      plannedRequests: 0,
      actualRequests: 0,
      plannedUsd: 0,
      actualUsd: 0,
    };
    for (const planned of record.plan.rows.filter((r) => r.cell === cell.key)) {
      row.plannedRequests += planned.requests - planned.cached;
      row.plannedUsd =
        row.plannedUsd === null || planned.costUsd === null ? null : row.plannedUsd + planned.costUsd;
    }
    const id = cell.runId ?? cell.metaTestId;
    if (id) {
      const { totals } = await llm.usage.query({ runId: id });
      row.actualRequests += totals.paidCalls;
      row.actualUsd =
        row.actualUsd === null || totals.costUsd === null ? null : row.actualUsd + totals.costUsd;
    }
    rows.set(key, row);
  }
  return [...rows.values()];
}
