import type { CompletionOutcome, CompletionRequest } from '@metaspo/schemas';
import { cacheKeyOf } from '../call-pipeline.js';
import { cancelled } from '../errors.js';
import type { ResolvedModel } from '../providers/registry.js';
import { BatchReservations } from './batch-budget.js';
import { BatchFollower } from './batch-follower.js';
import { answeredOutcome } from './batch-ledger.js';
import { type BatchContext, type BatchExecutorDeps, BatchLines } from './batch-lines.js';
import { BatchProgress, type PendingBatch } from './batch-progress.js';
import { BatchSubmitter } from './batch-submitter.js';
import { LineWait, RunWaiters, raceSignal } from './line-wait.js';

export type { PendingBatch } from './batch-progress.js';

/**
 * `execution: 'batch'`: the lines the cache does not answer are gathered (across concurrent
 * calls, per endpoint and model) into provider batches, stored before submission, polled with
 * back-off, and their answers written to the response cache under the live path's keys.
 * Requests leave through their caller's signal or `cancelRun`; a batch none of whose lines is
 * waited for any more is cancelled at the provider.
 */
export class BatchExecutor {
  private readonly ctx: BatchContext;
  private readonly closing = new AbortController();
  private readonly runWaiters = new RunWaiters();
  private readonly submitter: BatchSubmitter;
  private readonly follower: BatchFollower;
  private resumed: Promise<void> | undefined;

  constructor(deps: BatchExecutorDeps) {
    this.ctx = {
      deps,
      lines: new BatchLines(),
      reservations: new BatchReservations(deps.budgets),
      progress: new BatchProgress(),
      closing: this.closing.signal,
    };
    this.follower = new BatchFollower(this.ctx, (key) => this.submitter.enqueue(key));
    this.submitter = new BatchSubmitter(this.ctx, (job, client) => this.follower.follow(job, client, false));
  }

  async run(
    requests: CompletionRequest[],
    live: (index: number) => Promise<CompletionOutcome>,
    signal: AbortSignal | undefined,
  ): Promise<CompletionOutcome[]> {
    this.resumed ??= this.follower.resume();
    await this.resumed;
    return Promise.all(requests.map((request, i) => this.one(request, () => live(i), signal)));
  }

  pending(): PendingBatch[] {
    return this.ctx.progress.pending(Date.now());
  }

  /** Ends the run's requests waiting on batch lines; how many there were. */
  cancelRun(runId: string): number {
    return this.runWaiters.cancelRun(runId);
  }

  /**
   * Stops polling and ends the waiting callers, once the submissions under way are stored; open
   * batches keep running at the provider for the next gateway to resume.
   */
  async close(): Promise<void> {
    this.closing.abort();
    const { waits } = this.ctx.lines;
    for (const wait of waits.values()) wait.end({ kind: 'error', error: cancelled('the batch line') });
    waits.clear();
    await this.submitter.close();
  }

  private async one(
    request: CompletionRequest,
    live: () => Promise<CompletionOutcome>,
    signal: AbortSignal | undefined,
  ): Promise<CompletionOutcome> {
    if (request.cache !== 'use') return live();
    const { deps, lines } = this.ctx;
    let resolved: ResolvedModel;
    try {
      resolved = deps.registry.resolve(request.model);
    } catch {
      return live();
    }
    const key = cacheKeyOf(resolved, request);
    let wait = lines.waits.get(key);
    if (!wait) {
      // The cache answers it: the live path replays it (a cached ledger row, nothing sent).
      if (deps.cache.has(key)) return live();
      const client = deps.clientFor(resolved);
      if (!client) return live();
      wait = new LineWait();
      lines.waits.set(key, wait);
      lines.known.set(key, { request, resolved, client });
      this.submitter.enqueue(key);
    } else if (!lines.known.has(key)) {
      // A line of a resumed job: known now, so a failure can put it in a new batch.
      const client = deps.clientFor(resolved);
      if (client) lines.known.set(key, { request, resolved, client });
    }
    wait.join();
    const run = this.runWaiters.add(request.runId);
    const end = await Promise.race([raceSignal(wait.promise, signal), run.cancelled]);
    run.dispose();
    if (wait.leave(!wait.ended)) this.follower.lineDeserted(key);
    if (end.kind === 'live') return live();
    if (end.kind === 'error') return { ok: false, error: end.error.toLlmError() };
    return answeredOutcome(deps.ledger, request, resolved.ref.provider, end, wait.takePaid());
  }
}
