import { seedFrom } from '@metaspo/service-kit';
import type { SimCompletionOutput, SimModel } from '../sim-model.js';
import type { WireRequest } from './protocol.js';

export interface SimBatchOptions {
  /** How long a batch stays in progress after its creation (default 0: done at the first poll). */
  completionDelayMs?: number;
  /** Creation order (0-based, both protocols counted together) of batches that expire unanswered. */
  expireBatches?: readonly number[];
  /**
   * Share of lines that fail (default 0). Drawn per custom id and submission, so a line
   * resubmitted in a later batch draws again, as a transient provider failure would.
   */
  failedLineRate?: number;
}

export interface SimBatchStats {
  /** Files uploaded (OpenAI `/v1/files`). */
  files: number;
  /** Batches created, both protocols. */
  batches: number;
  /** Lines in the created batches. */
  lines: number;
  answeredLines: number;
  failedLines: number;
  expiredBatches: number;
  cancelledBatches: number;
}

export const emptyBatchStats = (): SimBatchStats => ({
  files: 0,
  batches: 0,
  lines: 0,
  answeredLines: 0,
  failedLines: 0,
  expiredBatches: 0,
  cancelledBatches: 0,
});

export interface BatchLine {
  customId: string;
  request: WireRequest;
}

type LineResult =
  | { customId: string; kind: 'answered'; output: SimCompletionOutput; id: string; model: string }
  | { customId: string; kind: 'failed'; message: string }
  | { customId: string; kind: 'expired' | 'cancelled' };

/** A batch of either protocol: in progress until `readyAt`, then ended with its line results. */
export interface SimBatch {
  ordinal: number;
  createdAt: number;
  readyAt: number;
  lines: BatchLine[];
  cancelled: boolean;
  expires: boolean;
  results?: LineResult[];
}

const unit = (...parts: Array<string | number>) => seedFrom(...parts) / 4294967296;

/** What both protocols' batch endpoints share: creation order, timing, faults, answers, counts. */
export class SimBatchJobs {
  private ordinal = 0;
  private readonly submissions = new Map<string, number>();

  constructor(
    private readonly options: SimBatchOptions,
    private readonly modelFor: (name: string) => SimModel,
    private readonly seed: number,
    readonly stats: () => SimBatchStats,
  ) {}

  create(lines: BatchLine[]): SimBatch {
    const now = Date.now();
    const ordinal = this.ordinal++;
    const stats = this.stats();
    stats.batches += 1;
    stats.lines += lines.length;
    return {
      ordinal,
      createdAt: now,
      readyAt: now + (this.options.completionDelayMs ?? 0),
      lines,
      cancelled: false,
      expires: this.options.expireBatches?.includes(ordinal) ?? false,
    };
  }

  /** Ends the batch if its time has come (or it was cancelled); true once it has ended. */
  settle(batch: SimBatch): boolean {
    if (batch.results) return true;
    if (!batch.cancelled && Date.now() < batch.readyAt) return false;
    const stats = this.stats();
    if (batch.cancelled || batch.expires) {
      const kind = batch.cancelled ? 'cancelled' : 'expired';
      if (batch.cancelled) stats.cancelledBatches += 1;
      else stats.expiredBatches += 1;
      batch.results = batch.lines.map((line) => ({ customId: line.customId, kind }));
      return true;
    }
    batch.results = batch.lines.map((line, i) => {
      const submission = this.submissions.get(line.customId) ?? 0;
      this.submissions.set(line.customId, submission + 1);
      const rate = this.options.failedLineRate ?? 0;
      if (rate > 0 && unit('batch-line', this.seed, line.customId, submission) < rate) {
        stats.failedLines += 1;
        return { customId: line.customId, kind: 'failed', message: 'internal server error (simulated)' };
      }
      const output = this.modelFor(line.request.model).complete(line.request.input);
      stats.answeredLines += 1;
      return {
        customId: line.customId,
        kind: 'answered',
        output,
        id: `sim-batch-${batch.ordinal}-${i}`,
        model: line.request.model,
      };
    });
    return true;
  }
}
