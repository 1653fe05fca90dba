import type { BatchSettings, CompletionRequest } from '@metaspo/schemas';
import type { Logger } from '@metaspo/service-kit';
import type { PriceTable } from '../prices.js';
import type { ProviderRegistry, ResolvedModel } from '../providers/registry.js';
import type { Budgets } from '../store/budgets.js';
import type { Ledger } from '../store/ledger.js';
import type { ResponseCache } from '../store/response-cache.js';
import type { BatchReservations } from './batch-budget.js';
import type { BatchClient } from './batch-client.js';
import type { BatchProgress } from './batch-progress.js';
import type { BatchStore } from './batch-store.js';
import type { LineEnd, LineWait } from './line-wait.js';

export interface BatchExecutorDeps {
  settings: BatchSettings;
  store: BatchStore;
  cache: ResponseCache;
  ledger: Ledger;
  budgets: Budgets;
  prices: PriceTable;
  registry: ProviderRegistry;
  /** The batch API of a resolved model; undefined: it has none, its requests go live. */
  clientFor(resolved: ResolvedModel): BatchClient | undefined;
  /** Writes queued cache rows now: answers must be on disk before their job is marked ended. */
  flush(): void;
  logger: Logger;
}

/** A request this process knows the content of, so it can put it in a batch (again). */
interface KnownLine {
  request: CompletionRequest;
  resolved: ResolvedModel;
  client: BatchClient;
}

/** The lines in flight through batches in this process, by cache key. */
export class BatchLines {
  readonly waits = new Map<string, LineWait>();
  readonly known = new Map<string, KnownLine>();

  end(key: string, end: LineEnd): void {
    const wait = this.waits.get(key);
    this.waits.delete(key);
    this.known.delete(key);
    wait?.end(end);
  }

  /** True when nobody in this process needs the line any more (see `LineWait.deserted`). */
  deserted(key: string): boolean {
    return this.waits.get(key)?.deserted ?? true;
  }
}

/** What the submitter and the follower of batches share. */
export interface BatchContext {
  deps: BatchExecutorDeps;
  lines: BatchLines;
  reservations: BatchReservations;
  progress: BatchProgress;
  /** Aborted by `close()`: polls stop, and nothing is cancelled at the provider. */
  closing: AbortSignal;
}

/** Ends a job unanswered: its reservations are released and its lines go live. */
export function abandonJob(ctx: BatchContext, jobId: string): void {
  ctx.deps.store.end(jobId, 'abandoned', new Set());
  sendLinesLive(ctx, jobId);
}

/**
 * A cancelled job past its grace: its lines go live as an abandoned job's do, but the job stays
 * open (`released`), to be polled to its end for the lines it answered and the provider billed.
 */
export function releaseJob(ctx: BatchContext, jobId: string): void {
  ctx.deps.store.markReleased(jobId);
  sendLinesLive(ctx, jobId);
}

function sendLinesLive(ctx: BatchContext, jobId: string): void {
  ctx.progress.ended(jobId);
  for (const line of ctx.deps.store.lines(jobId)) {
    ctx.reservations.settle(line.cacheKey, { paid: false });
    ctx.lines.end(line.cacheKey, { kind: 'live' });
  }
}
