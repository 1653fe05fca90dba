import type { BatchCancelReason, BatchJobRow, BatchLineRow } from './batch-store.js';

export interface PendingBatch {
  id: string;
  providerBatchId: string | null;
  model: string;
  lines: number;
  linesDone: number;
  ageMs: number;
  /** The runs whose lines it holds (a batch gathers the lines of concurrent calls). */
  runIds: string[];
  /** Why it is being cancelled at the provider (polled to its end meanwhile); null when it is not. */
  cancelReason: BatchCancelReason | null;
}

/** The open batches of this process with their lines done, for `llm.batches` and progress lines. */
export class BatchProgress {
  private readonly open = new Map<string, Omit<PendingBatch, 'ageMs'> & { createdAt: number }>();

  track(job: BatchJobRow, lines: readonly BatchLineRow[]): void {
    const runIds = new Set<string>();
    for (const line of lines) if (line.runId !== null) runIds.add(line.runId);
    this.open.set(job.id, {
      id: job.id,
      providerBatchId: job.providerBatchId,
      model: job.model,
      lines: job.lines,
      linesDone: 0,
      runIds: [...runIds],
      cancelReason: job.cancelReason,
      createdAt: job.createdAt,
    });
  }

  cancelling(jobId: string, reason: BatchCancelReason): void {
    const batch = this.open.get(jobId);
    if (batch) batch.cancelReason = reason;
  }

  linesDone(jobId: string, done: number): void {
    const batch = this.open.get(jobId);
    if (batch) batch.linesDone = done;
  }

  ended(jobId: string): void {
    this.open.delete(jobId);
  }

  pending(now: number): PendingBatch[] {
    return [...this.open.values()].map(({ createdAt, ...batch }) => ({ ...batch, ageMs: now - createdAt }));
  }
}
