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
  /**
   * How long a cancelled batch stays `cancelling` (Anthropic: `canceling`) before it ends with the
   * lines it had processed (default 0: ended at the first poll after the cancel).
   */
  cancelDelayMs?: number;
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
  /** Cancel requests received for known batches, both protocols; refused and repeated ones included. */
  cancelRequests: number;
  /** Lines a cancellation stopped before they were processed. */
  cancelledLines: number;
}

export const emptyBatchStats = (): SimBatchStats => ({
  files: 0,
  batches: 0,
  lines: 0,
  answeredLines: 0,
  failedLines: 0,
  expiredBatches: 0,
  cancelledBatches: 0,
  cancelRequests: 0,
  cancelledLines: 0,
});

export interface BatchLine {
  customId: string;
  request: WireRequest;
}

type LineResult =
  | { customId: string; kind: 'answered'; output: SimCompletionOutput; id: string; model: string }
  | { customId: string; kind: 'failed'; message: string }
  | { customId: string; kind: 'expired' | 'cancelled' };

/**
 * A batch of either protocol. Its lines are processed one after another over the completion
 * delay (line i of n at createdAt + delay * (i + 1) / n), so a batch cancelled midway ends with
 * the lines processed before the cancel and the rest cancelled, as the providers' do.
 */
export interface SimBatch {
  ordinal: number;
  createdAt: number;
  readyAt: number;
  lines: BatchLine[];
  expires: boolean;
  /** When a cancel was first accepted; the batch ends `cancelDelayMs` later. */
  cancelRequestedAt: number | undefined;
  /** Results of the lines processed so far, in line order. */
  processed: LineResult[];
  /** Every line's result, once the batch has ended. */
  results?: LineResult[];
  /** When it ended (completion, expiry, or the end of its cancelling). */
  endedAt?: number;
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
      expires: this.options.expireBatches?.includes(ordinal) ?? false,
      cancelRequestedAt: undefined,
      processed: [],
    };
  }

  /** Processes the lines due by now and ends the batch if its time has come; true once ended. */
  settle(batch: SimBatch): boolean {
    if (batch.results) return true;
    const now = Date.now();
    const cancelAt = batch.cancelRequestedAt;
    this.advance(batch, cancelAt === undefined ? now : Math.min(now, cancelAt));
    const endsAt = cancelAt === undefined ? batch.readyAt : cancelAt + (this.options.cancelDelayMs ?? 0);
    if (now < endsAt) return false;
    const stats = this.stats();
    const unprocessed = batch.lines.slice(batch.processed.length);
    const kind: 'cancelled' | 'expired' = cancelAt !== undefined ? 'cancelled' : 'expired';
    if (cancelAt !== undefined) {
      stats.cancelledBatches += 1;
      stats.cancelledLines += unprocessed.length;
    } else if (batch.expires) stats.expiredBatches += 1;
    batch.endedAt = endsAt;
    batch.results = [...batch.processed, ...unprocessed.map((line) => ({ customId: line.customId, kind }))];
    return true;
  }

  /**
   * Accepts a cancel of a batch still in progress (again while it is cancelling); false when it
   * has ended, which the providers refuse.
   */
  cancel(batch: SimBatch): boolean {
    this.stats().cancelRequests += 1;
    if (this.settle(batch)) return false;
    batch.cancelRequestedAt ??= Date.now();
    return true;
  }

  /** An expiring batch processes nothing: it runs out of time with every line unanswered. */
  private advance(batch: SimBatch, until: number): void {
    if (batch.expires) return;
    const { lines, processed } = batch;
    const span = batch.readyAt - batch.createdAt;
    while (processed.length < lines.length) {
      const i = processed.length;
      if (batch.createdAt + (span * (i + 1)) / lines.length > until) return;
      processed.push(this.answer(batch, i));
    }
  }

  private answer(batch: SimBatch, i: number): LineResult {
    const line = batch.lines[i]!;
    const stats = this.stats();
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
  }
}
