import type { ExperimentCell, ExperimentProgress, ExperimentRecord, LlmClient } from '@metaspo/schemas';

const TICK_MS = 1_000;

export interface Spent {
  usd: number;
  /** Provider requests paid (cache replays are free). */
  calls: number;
  /** Whether a paid call had no known price (its cost is not in usd). */
  unpriced: boolean;
}

/** The gateway ledger's totals over one run or meta-test id. */
export async function spentBy(llm: LlmClient, runId: string): Promise<Spent> {
  const { totals } = await llm.usage.query({ runId });
  return { usd: totals.costUsd ?? 0, calls: totals.paidCalls, unpriced: totals.costUsd === null };
}

/**
 * The experiment's progress from the gateway's ledger: provider requests paid by all its runs
 * and meta-tests against the planned number, their cost, and an ETA at the rate measured since
 * this process started (or resumed) it. Refreshed on every cell change and once a second.
 */
export class ExperimentProgressMeter {
  private readonly startedAt = Date.now();
  private doneAtStart: number | null = null;
  private timer: NodeJS.Timeout | null = null;
  private current: string | null = null;
  private cells: ExperimentCell[];

  constructor(
    private readonly record: ExperimentRecord,
    private readonly llm: LlmClient,
    private readonly publish: (progress: ExperimentProgress) => void,
  ) {
    this.cells = record.cells;
    this.timer = setInterval(() => void this.refresh(this.current).catch(() => undefined), TICK_MS);
    this.timer.unref();
  }

  /** Cells as stored now (the caller passes them after each change). */
  setCells(cells: ExperimentCell[]): void {
    this.cells = cells;
  }

  async spent(): Promise<Spent> {
    const ids = this.cells.flatMap((c) => [c.runId, c.metaTestId]).filter((x): x is string => x !== null);
    const parts = await Promise.all(ids.map((id) => spentBy(this.llm, id)));
    return parts.reduce(
      (a, b) => ({ usd: a.usd + b.usd, calls: a.calls + b.calls, unpriced: a.unpriced || b.unpriced }),
      { usd: 0, calls: 0, unpriced: false },
    );
  }

  async refresh(current: string | null): Promise<ExperimentProgress> {
    this.current = current;
    const spent = await this.spent();
    this.doneAtStart ??= spent.calls;
    const planned = this.record.plan.totals.requests;
    const elapsed = (Date.now() - this.startedAt) / 1000;
    const rate = elapsed > 0 ? (spent.calls - this.doneAtStart) / elapsed : 0;
    const progress: ExperimentProgress = {
      requestsDone: spent.calls,
      requestsPlanned: planned,
      costUsd: spent.unpriced ? null : spent.usd,
      cellsDone: this.cells.filter((c) => c.status === 'completed').length,
      cellsTotal: this.cells.length,
      currentCell: current,
      etaSeconds: rate > 0 ? Math.max(0, (planned - spent.calls) / rate) : null,
    };
    this.publish(progress);
    return progress;
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
  }
}
