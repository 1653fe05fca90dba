import type { ProviderCallOutput } from '@metaspo/schemas';
import { sleepUnlessAborted } from '@metaspo/service-kit';
import { cancelled } from '../errors.js';
import { costOf } from '../prices.js';
import type { BatchClient, BatchLineOutcome, BatchPoll } from './batch-client.js';
import { recordBatchAnswer } from './batch-ledger.js';
import { type BatchContext, releaseJob } from './batch-lines.js';
import type { BatchCancelReason, BatchJobRow, BatchLineRow } from './batch-store.js';
import { LineWait } from './line-wait.js';

type SubmittedJob = BatchJobRow & { providerBatchId: string };

interface Followed {
  job: SubmittedJob;
  client: BatchClient;
  keys: string[];
  cancel: { reason: BatchCancelReason; since: number; acknowledged: boolean; sending: boolean } | undefined;
  /** Its lines went live at the grace: it is polled only to record what it billed. */
  released: boolean;
}

/**
 * Polls submitted jobs with back-off until the provider ends them, and writes their answers to
 * the cache and the ledger; resumes the jobs a previous process left open. A job nobody needs
 * any more, or still running at `liveAfterMs`, is cancelled at the provider, once: the
 * cancellation is stored before it is sent and its acknowledgement after, and a cancelled
 * batch is still polled to its end so the lines it did answer (and bill) are kept; past
 * `cancelGraceMs` its lines go live and it is polled on only for the ledger.
 */
export class BatchFollower {
  private readonly jobOfKey = new Map<string, Followed>();

  constructor(
    private readonly ctx: BatchContext,
    private readonly requeue: (key: string) => void,
  ) {}

  /** Jobs a previous process left open: polled, never submitted again. */
  async resume(): Promise<void> {
    const { deps, lines: inFlight, reservations, progress } = this.ctx;
    for (const job of deps.store.openJobs()) {
      let client: BatchClient | undefined;
      try {
        client = deps.clientFor(deps.registry.resolve(job.model));
      } catch {}
      if (!client) continue;
      let providerBatchId = job.providerBatchId;
      if (providerBatchId === null) {
        const found = await client.findSubmitted(job.id).catch(() => null);
        if (!found) {
          // Never reached the provider (or cannot be told): its lines are free to be sent again.
          deps.store.end(job.id, 'abandoned', new Set());
          continue;
        }
        providerBatchId = found;
        deps.store.markSubmitted(job.id, found);
      }
      // A released job's lines went live already: nobody waits on them, nothing is reserved.
      if (job.state !== 'released') {
        const lines = deps.store.lines(job.id);
        for (const line of lines) {
          if (!inFlight.waits.has(line.cacheKey)) inFlight.waits.set(line.cacheKey, new LineWait());
          if (line.runId !== null) reservations.adopt(line.cacheKey, line.runId, line.reservedUsd);
        }
        progress.track({ ...job, providerBatchId }, lines);
      }
      void this.follow({ ...job, providerBatchId }, client, true).catch((error: unknown) =>
        deps.logger.error({ err: error }, 'resumed batch failed'),
      );
    }
  }

  async follow(job: SubmittedJob, client: BatchClient, pollNow: boolean): Promise<void> {
    const followed: Followed = {
      job,
      client,
      keys: this.ctx.deps.store.lines(job.id).map((line) => line.cacheKey),
      cancel: job.cancelReason
        ? {
            reason: job.cancelReason,
            since: job.cancelRequestedAt ?? Date.now(),
            acknowledged: job.cancelAcknowledged,
            sending: false,
          }
        : undefined,
      released: job.state === 'released',
    };
    if (!followed.released) for (const key of followed.keys) this.jobOfKey.set(key, followed);
    try {
      await this.poll(followed, pollNow);
    } finally {
      for (const key of followed.keys) if (this.jobOfKey.get(key) === followed) this.jobOfKey.delete(key);
    }
  }

  /** Every request waiting on the line left: its job is cancelled once none of its lines is needed. */
  lineDeserted(key: string): void {
    const followed = this.jobOfKey.get(key);
    if (!followed || !this.unneeded(followed)) return;
    this.cancel(followed, 'unneeded').catch((error: unknown) =>
      this.ctx.deps.logger.error({ err: error }, 'batch cancel failed'),
    );
  }

  private unneeded(followed: Followed): boolean {
    return followed.keys.every((key) => this.ctx.lines.deserted(key));
  }

  private async poll(followed: Followed, pollNow: boolean): Promise<void> {
    const { deps, closing } = this.ctx;
    const { job, client } = followed;
    let delay = deps.settings.pollInitialMs;
    for (let first = true; !closing.aborted; first = false) {
      if (!(first && pollNow)) {
        await sleepUnlessAborted(delay, closing);
        delay = Math.min(Math.round(delay * 1.5), deps.settings.pollMaxMs);
        if (closing.aborted) return;
      }
      if (!followed.cancel && this.unneeded(followed)) await this.cancel(followed, 'unneeded');
      let state: BatchPoll;
      try {
        state = await client.poll(job.providerBatchId);
      } catch (error) {
        deps.logger.warn(
          { batch: job.providerBatchId },
          `batch poll failed, polling again: ${(error as Error).message}`,
        );
        continue;
      }
      if (state.ended) {
        if (followed.released) this.recordReleased(followed, state.lines);
        else this.finish(followed, state.lines);
        return;
      }
      if (followed.released) continue;
      this.ctx.progress.linesDone(job.id, state.done);
      const { cancel } = followed;
      if (!cancel) {
        if (Date.now() - job.createdAt >= deps.settings.liveAfterMs) await this.cancel(followed, 'deadline');
        continue;
      }
      if (!cancel.acknowledged && !cancel.sending) {
        // Stored as cancelling but not acknowledged: the provider tells whether it got the cancel.
        if (state.cancelling) this.acknowledge(followed);
        else await this.sendCancel(followed);
      }
      // Still cancelling past the grace (`cancelGraceMs`): its lines go live rather than wait on.
      if (Date.now() - cancel.since >= deps.settings.cancelGraceMs) {
        releaseJob(this.ctx, job.id);
        followed.released = true;
      }
    }
  }

  private async cancel(followed: Followed, reason: BatchCancelReason): Promise<void> {
    if (followed.cancel || this.ctx.closing.aborted) return;
    followed.cancel = { reason, since: Date.now(), acknowledged: false, sending: false };
    this.ctx.deps.store.markCancelling(followed.job.id, reason);
    this.ctx.progress.cancelling(followed.job.id, reason);
    this.ctx.deps.logger.info(
      { batch: followed.job.providerBatchId, lines: followed.keys.length },
      reason === 'deadline'
        ? 'batch still running at liveAfterMs: cancelling it, its unanswered lines go live'
        : 'batch no longer needed: cancelling it',
    );
    await this.sendCancel(followed);
  }

  private async sendCancel(followed: Followed): Promise<void> {
    const cancel = followed.cancel!;
    cancel.sending = true;
    try {
      await followed.client.cancel(followed.job.providerBatchId);
      this.acknowledge(followed);
    } catch (error) {
      // Refused (it ended meanwhile) or unreachable: the next poll tells which.
      this.ctx.deps.logger.warn(
        { batch: followed.job.providerBatchId },
        `batch cancel failed: ${(error as Error).message}`,
      );
    } finally {
      cancel.sending = false;
    }
  }

  private acknowledge(followed: Followed): void {
    followed.cancel!.acknowledged = true;
    this.ctx.deps.store.markCancelAcknowledged(followed.job.id);
  }

  /**
   * The end of a released job: the lines it answered were paid twice (here and live), so each
   * gets its paid ledger row at the batch price, nothing saved; the cache keeps the live answer
   * where there is one, so what callers were given stays what a replay gives.
   */
  private recordReleased(followed: Followed, outcomes: Map<string, BatchLineOutcome>): void {
    const { deps } = this.ctx;
    const { job } = followed;
    const record = batchAnswerRecorder(deps, job);
    const answered = new Set<string>();
    for (const line of deps.store.lines(job.id)) {
      const outcome = outcomes.get(line.cacheKey);
      if (!outcome?.ok) continue;
      answered.add(line.cacheKey);
      if (!deps.cache.has(line.cacheKey)) deps.cache.put(line.cacheKey, job.model, outcome.output);
      const { costUsd } = record(line, outcome.output, { saved: false });
      if (line.runId !== null) deps.budgets.charge(line.runId, costUsd);
    }
    deps.flush();
    deps.store.end(job.id, 'ended', answered);
    if (answered.size > 0) {
      deps.logger.warn(
        { batch: job.providerBatchId, lines: answered.size },
        'a batch whose lines went live at cancelGraceMs ended: the lines it answered were paid twice and are in the ledger',
      );
    }
  }

  private finish(followed: Followed, outcomes: Map<string, BatchLineOutcome>): void {
    const { deps, lines: inFlight, reservations } = this.ctx;
    const { cache, store } = deps;
    const { job } = followed;
    const record = batchAnswerRecorder(deps, job);
    const answered = new Set<string>();
    const unanswered: string[] = [];
    for (const line of store.lines(job.id)) {
      const outcome = outcomes.get(line.cacheKey);
      if (!outcome?.ok) {
        reservations.settle(line.cacheKey, { paid: false });
        unanswered.push(line.cacheKey);
        continue;
      }
      // Answered lines of a cancelled batch too: the provider billed them.
      answered.add(line.cacheKey);
      cache.put(line.cacheKey, job.model, outcome.output);
      const { callId, costUsd, latencyMs } = record(line, outcome.output, { saved: true });
      reservations.settle(line.cacheKey, { paid: true, costUsd });
      inFlight.end(line.cacheKey, { kind: 'answered', output: outcome.output, callId, costUsd, latencyMs });
    }
    deps.flush();
    store.end(job.id, 'ended', answered);
    this.ctx.progress.ended(job.id);
    // Failed, expired or cancelled lines: into a new batch while they have submissions left
    // (past liveAfterMs the submitter sends them live); nobody waits on a deserted one.
    for (const key of unanswered) {
      if (inFlight.deserted(key)) inFlight.end(key, { kind: 'error', error: cancelled('the batch line') });
      else if (inFlight.known.has(key)) this.requeue(key);
      else inFlight.end(key, { kind: 'live' });
    }
  }
}

/**
 * Writes an answered line's paid ledger row at the job's batch price, with what the live price
 * would have cost more (`saved`; nothing for a line also paid live) and its latency since the
 * job was created.
 */
function batchAnswerRecorder(deps: BatchContext['deps'], job: SubmittedJob) {
  const ref = deps.registry.resolve(job.model).ref;
  const price = deps.prices.batchPriceOf(ref, job.model);
  const livePrice = deps.prices.priceOf(ref, job.model);
  const latencyMs = Date.now() - job.createdAt;
  return (line: BatchLineRow, output: ProviderCallOutput, { saved }: { saved: boolean }) => {
    const costUsd = costOf(price, output.usage);
    const liveUsd = costOf(livePrice, output.usage);
    const savedUsd = !saved || costUsd === null || liveUsd === null ? 0 : Math.max(0, liveUsd - costUsd);
    const row = { ...line, model: job.model, provider: ref.provider };
    const callId = recordBatchAnswer(deps.ledger, row, output, latencyMs, { costUsd, savedUsd });
    return { callId, costUsd, latencyMs };
  };
}
