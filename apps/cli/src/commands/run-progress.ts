import type { RunEvent, RunProgress, RunRecord } from '@metaspo/schemas';
import type { PlatformClients } from '../clients.js';

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'budget-exceeded', 'paused']);

function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  return s >= 3600
    ? `${Math.floor(s / 3600)}h${Math.floor((s % 3600) / 60)}m`
    : s >= 60
      ? `${Math.floor(s / 60)}m${s % 60}s`
      : `${s}s`;
}

/** One line: phase, iteration, task, requests done/total, cost and an ETA from the request rate. */
export function progressLine(progress: RunProgress, startedAt: number, doneAtStart: number): string {
  const done = progress.requestsDone;
  const rate = (done - doneAtStart) / Math.max(1, Date.now() - startedAt);
  const remaining = Math.max(0, progress.requestsTotal - done);
  const eta = rate > 0 ? formatDuration(remaining / rate) : '?';
  const cost = progress.costUsd === null ? 'cost ?' : `$${progress.costUsd.toFixed(4)}`;
  const task = progress.taskId ? ` task ${progress.taskId}` : '';
  return `${progress.phase} it ${progress.iteration}${task}  ${done}/${progress.requestsTotal} req  ${cost}  ETA ${eta}`;
}

/**
 * Follows a run's events until it stops, drawing a live progress line on stderr (redrawn in
 * place on a terminal, one line every few seconds otherwise). Resolves with the final record.
 */
export async function followRun(clients: PlatformClients, runId: string, quiet = false): Promise<RunRecord> {
  const startedAt = Date.now();
  let doneAtStart: number | null = null;
  let lastPrinted = 0;
  const tty = process.stderr.isTTY === true;
  const draw = (progress: RunProgress) => {
    doneAtStart ??= progress.requestsDone;
    if (quiet) return;
    const now = Date.now();
    if (!tty && now - lastPrinted < 3000) return;
    lastPrinted = now;
    const line = progressLine(progress, startedAt, doneAtStart);
    process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
  };
  await new Promise<void>((resolve, reject) => {
    const subscription = clients.optimizer.events.subscribe(
      { runId },
      {
        onData: (envelope: { data: RunEvent } | RunEvent) => {
          const event = 'data' in envelope ? envelope.data : envelope;
          if (event.type === 'progress') draw(event.progress);
          if (event.type === 'candidate-dropped' && !quiet && !tty) {
            process.stderr.write(
              `dropped ${event.phase} candidate (iteration ${event.iteration}): ${event.reason}\n`,
            );
          }
          if (event.type === 'status' && TERMINAL.has(event.status)) {
            subscription.unsubscribe();
            resolve();
          }
        },
        onError: (error: unknown) => reject(error),
      },
    );
  });
  if (tty && !quiet) process.stderr.write('\n');
  return clients.optimizer.runs.get.query({ id: runId });
}

/** The `--json` summary of a finished run (the contract of `metaspo train --json`). */
export function runSummary(run: RunRecord) {
  return {
    runId: run.id,
    status: run.status,
    optimizedSystemPrompt: run.result?.optimizedSystemPrompt ?? null,
    scores: run.result ? { initial: run.result.scores.initial, final: run.result.scores.final } : null,
    calls: run.result?.calls ?? null,
    costUsd: run.result?.costUsd ?? null,
  };
}

export function printRunText(run: RunRecord): void {
  const lines = [`run ${run.id}  ${run.status}${run.simulated ? '  (simulated scores)' : ''}`];
  if (run.error) lines.push(`error: ${run.error}`);
  if (run.result) {
    const { scores, calls } = run.result;
    lines.push(
      `scores: initial ${scores.initial.toFixed(3)}  final ${scores.final.toFixed(3)}  test ${scores.test === null ? '-' : scores.test.toFixed(3)}`,
      `calls: base train ${calls.baseTrain}, base test ${calls.baseTest}, optimizer ${calls.optimizer} (+${calls.optimizerRetries} retries), cached ${calls.cached}`,
      `cost: ${run.result.costUsd === null ? 'unknown' : `$${run.result.costUsd.toFixed(4)}`}`,
      'optimized system prompt:',
      run.result.optimizedSystemPrompt,
    );
  } else if (run.status !== 'running') {
    lines.push(`resume with: metaspo runs resume ${run.id}`);
  }
  process.stdout.write(`${lines.join('\n')}\n`);
}
