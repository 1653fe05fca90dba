import type { RunEvent, RunProgress, RunRecord, RunStatus } from '@metaspo/schemas';
import type { PlatformClients } from '../clients.js';
import { count } from '../numbers.js';

const TERMINAL: ReadonlySet<RunStatus> = new Set([
  'completed',
  'failed',
  'cancelled',
  'budget-exceeded',
  'paused',
]);

/** Off a terminal a progress line is printed this often (and at every phase). */
export const PLAIN_PROGRESS_INTERVAL_MS = 5000;

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${s % 60}s`
      : `${s}s`;
}

/** Where the rate is measured from: the first progress after the run (re)started, in server time. */
interface Baseline {
  done: number;
  atMs: number;
}

/** What the progress line needs of a pending provider batch (`llm.batches`). */
interface PendingBatchView {
  lines: number;
  linesDone: number;
  ageMs: number;
  runIds: string[];
  cancelReason?: string | null;
}

/** The run's pending provider batches for the progress line ('' when it waits on none). */
export function batchesText(pending: readonly PendingBatchView[], runId: string): string {
  const own = pending.filter((batch) => batch.runIds.includes(runId));
  if (own.length === 0) return '';
  const lines = own.reduce((sum, batch) => sum + batch.lines, 0);
  const done = own.reduce((sum, batch) => sum + batch.linesDone, 0);
  const oldest = Math.max(...own.map((batch) => batch.ageMs));
  const batches = own.length === 1 ? '1 batch' : `${own.length} batches`;
  const cancelling = own.filter((batch) => batch.cancelReason).length;
  const cancelNote =
    cancelling === 0 ? '' : ` (${cancelling} being cancelled; their answered lines are kept)`;
  return `waiting on ${batches}${cancelNote}: ${count(done)}/${count(lines)} lines done, oldest ${formatDuration(oldest)}`;
}

/** How often a batch run's follower asks the gateway for its pending batches. */
const BATCH_POLL_MS = 1000;

/** One line: phase, iteration, task, requests done/total, cost and an ETA from the request rate. */
export function progressLine(
  progress: RunProgress,
  baseline: Baseline | null,
  atMs: number,
  free = false,
): string {
  const done = progress.requestsDone;
  const rate = baseline ? (done - baseline.done) / Math.max(1, atMs - baseline.atMs) : 0;
  const remaining = Math.max(0, progress.requestsTotal - done);
  const eta = rate > 0 ? formatDuration(remaining / rate) : 'not yet known';
  const cost = free
    ? '$0 (simulator)'
    : progress.costUsd === null
      ? 'cost unknown'
      : `$${progress.costUsd.toFixed(4)}`;
  const task = progress.taskId ? ` task ${progress.taskId}` : '';
  return `${progress.phase} iteration ${progress.iteration}${task}  ${count(done)}/${count(progress.requestsTotal)} requests  ${cost}  ETA ${eta}`;
}

/**
 * Draws progress on stderr: redrawn in place on a terminal; off one, a plain line at every
 * phase and every few seconds while something changed, so a log shows the run moving.
 */
class ProgressReporter {
  private latest: { progress: RunProgress; atMs: number } | null = null;
  private baseline: Baseline | null = null;
  private printed: string | null = null;
  private batchText = '';
  private readonly timer: NodeJS.Timeout | null;

  constructor(
    private readonly tty: boolean,
    private readonly quiet: boolean,
    /** Both models are the simulator: nothing is billed, so no cost figure is shown. */
    private readonly free: boolean,
  ) {
    this.timer =
      tty || quiet ? null : setInterval(() => this.printPlain(), PLAIN_PROGRESS_INTERVAL_MS).unref();
  }

  /** A (re)start: the rate is measured from here, not across the time the run stood still. */
  restarted(): void {
    this.baseline = null;
  }

  progress(progress: RunProgress, at: string): void {
    const atMs = Date.parse(at);
    this.baseline ??= { done: progress.requestsDone, atMs };
    this.latest = { progress, atMs };
    if (this.tty && !this.quiet) process.stderr.write(`\r\x1b[2K${this.line()}`);
  }

  phase(event: Extract<RunEvent, { type: 'phase' }>): void {
    if (!this.latest) return;
    this.latest = {
      atMs: this.latest.atMs,
      progress: {
        ...this.latest.progress,
        phase: event.phase,
        iteration: event.iteration,
        taskId: event.taskId,
      },
    };
    this.printPlain();
  }

  /** The run's pending batches changed: redrawn, or printed off a terminal (a phase may wait hours). */
  batches(text: string): void {
    if (text === this.batchText) return;
    this.batchText = text;
    if (this.tty && !this.quiet && this.latest) process.stderr.write(`\r\x1b[2K${this.line()}`);
    else this.printPlain();
  }

  note(text: string): void {
    if (this.quiet) return;
    process.stderr.write(this.tty ? `\r\x1b[2K${text}\n` : `${text}\n`);
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    if (this.tty && !this.quiet && this.latest) process.stderr.write('\n');
  }

  private line(): string {
    const { progress, atMs } = this.latest!;
    const line = progressLine(progress, this.baseline, atMs, this.free);
    return this.batchText ? `${line}  ${this.batchText}` : line;
  }

  private printPlain(): void {
    if (this.tty || this.quiet || !this.latest) return;
    const line = this.line();
    if (line === this.printed) return;
    this.printed = line;
    process.stderr.write(`${line}\n`);
  }
}

/**
 * Follows a run's events until the run stops, drawing progress on stderr. The log replays from
 * its start, so a resumed run's log holds the status that ended its earlier session: a stopping
 * status ends the follow only when the stored run says it has stopped, which a resumed run has
 * not. Resolves with the final record.
 */
export async function followRun(clients: PlatformClients, runId: string, quiet = false): Promise<RunRecord> {
  const { config } = await clients.optimizer.runs.get.query({ id: runId });
  const free = config.baseModel.startsWith('sim:') && config.optimizerModel.startsWith('sim:');
  const reporter = new ProgressReporter(process.stderr.isTTY === true, quiet, free);
  const batchPoll =
    config.execution === 'batch'
      ? setInterval(() => {
          clients.llm.batches
            .query()
            .then(({ pending }) => reporter.batches(batchesText(pending, runId)))
            .catch(() => {});
        }, BATCH_POLL_MS).unref()
      : undefined;
  try {
    return await new Promise<RunRecord>((resolve, reject) => {
      let settled = false;
      const finish = (run: RunRecord) => {
        if (settled) return;
        settled = true;
        subscription.unsubscribe();
        resolve(run);
      };
      const fail = (error: unknown) => {
        if (settled) return;
        settled = true;
        subscription.unsubscribe();
        reject(error);
      };
      const subscription = clients.optimizer.events.subscribe(
        { runId },
        {
          onData: (envelope: { data: RunEvent } | RunEvent) => {
            const event = 'data' in envelope ? envelope.data : envelope;
            if (event.type === 'progress') reporter.progress(event.progress, event.at);
            else if (event.type === 'phase') reporter.phase(event);
            else if (event.type === 'candidate-dropped' && process.stderr.isTTY !== true)
              reporter.note(
                `dropped ${event.phase} candidate (iteration ${event.iteration}): ${event.reason}`,
              );
            else if (event.type === 'status' && event.status === 'running') reporter.restarted();
            else if (event.type === 'status' && TERMINAL.has(event.status)) {
              clients.optimizer.runs.get
                .query({ id: runId })
                .then((run) => (TERMINAL.has(run.status) ? finish(run) : undefined), fail);
            }
          },
          onError: fail,
        },
      );
    });
  } finally {
    clearInterval(batchPoll);
    reporter.stop();
  }
}
