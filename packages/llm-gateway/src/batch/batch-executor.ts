import { randomUUID } from 'node:crypto';
import type { BatchSettings, CompletionOutcome, CompletionRequest } from '@metaspo/schemas';
import { type Logger, sleepUnlessAborted } from '@metaspo/service-kit';
import { cacheKeyOf } from '../call-pipeline.js';
import { cancelled } from '../errors.js';
import { costOf, type PriceTable } from '../prices.js';
import type { ProviderRegistry, ResolvedModel } from '../providers/registry.js';
import type { Budgets } from '../store/budgets.js';
import type { Ledger } from '../store/ledger.js';
import type { ResponseCache } from '../store/response-cache.js';
import { BatchReservations, lineEstimateUsd } from './batch-budget.js';
import type { BatchClient, BatchLineOutcome, BatchLineRequest } from './batch-client.js';
import { answeredOutcome, recordBatchAnswer } from './batch-ledger.js';
import { BatchProgress, type PendingBatch } from './batch-progress.js';
import type { BatchJobRow, BatchStore } from './batch-store.js';
import { asCallError, type LineEnd, LineWait, raceSignal } from './line-wait.js';

export type { PendingBatch } from './batch-progress.js';

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

interface Chunk {
  client: BatchClient;
  resolved: ResolvedModel;
  model: string;
  keys: Set<string>;
  timer: NodeJS.Timeout | undefined;
}

/**
 * `execution: 'batch'`: the lines the cache does not answer are gathered (across concurrent
 * calls, per endpoint and model) into provider batches, stored before submission, polled with
 * back-off, and their answers written to the response cache under the live path's keys.
 */
export class BatchExecutor {
  private readonly waits = new Map<string, LineWait>();
  private readonly known = new Map<string, KnownLine>();
  private readonly chunks = new Map<string, Chunk>();
  private readonly progress = new BatchProgress();
  private readonly reservations: BatchReservations;
  private readonly closing = new AbortController();
  private resumed: Promise<void> | undefined;

  constructor(private readonly deps: BatchExecutorDeps) {
    this.reservations = new BatchReservations(deps.budgets);
  }

  async run(
    requests: CompletionRequest[],
    live: (index: number) => Promise<CompletionOutcome>,
    signal: AbortSignal | undefined,
  ): Promise<CompletionOutcome[]> {
    this.resumed ??= this.resume();
    await this.resumed;
    return Promise.all(requests.map((request, i) => this.one(request, () => live(i), signal)));
  }

  pending(): PendingBatch[] {
    return this.progress.pending(Date.now());
  }

  close(): void {
    this.closing.abort();
    for (const chunk of this.chunks.values()) clearTimeout(chunk.timer);
    this.chunks.clear();
    for (const wait of this.waits.values()) wait.end({ kind: 'error', error: cancelled('the batch line') });
    this.waits.clear();
  }

  private async one(
    request: CompletionRequest,
    live: () => Promise<CompletionOutcome>,
    signal: AbortSignal | undefined,
  ): Promise<CompletionOutcome> {
    if (request.cache !== 'use') return live();
    let resolved: ResolvedModel;
    try {
      resolved = this.deps.registry.resolve(request.model);
    } catch {
      return live();
    }
    const key = cacheKeyOf(resolved, request);
    let wait = this.waits.get(key);
    if (!wait) {
      // The cache answers it: the live path replays it (a cached ledger row, nothing sent).
      if (this.deps.cache.has(key)) return live();
      const client = this.deps.clientFor(resolved);
      if (!client) return live();
      wait = new LineWait();
      this.waits.set(key, wait);
      this.known.set(key, { request, resolved, client });
      this.enqueue(key);
    } else if (!this.known.has(key)) {
      // A line of a resumed job: known now, so a failure can put it in a new batch.
      const client = this.deps.clientFor(resolved);
      if (client) this.known.set(key, { request, resolved, client });
    }
    const end = await raceSignal(wait.promise, signal);
    if (end.kind === 'live') return live();
    if (end.kind === 'error') return { ok: false, error: end.error.toLlmError() };
    return answeredOutcome(this.deps.ledger, request, resolved.ref.provider, end, wait.takePaid());
  }

  /** Adds a known line to the chunk gathering for its endpoint and model. */
  private enqueue(key: string): void {
    const line = this.known.get(key)!;
    const chunkKey = `${line.resolved.provider.endpointId}\u0000${line.request.model}`;
    let chunk = this.chunks.get(chunkKey);
    if (!chunk) {
      chunk = {
        client: line.client,
        resolved: line.resolved,
        model: line.request.model,
        keys: new Set(),
        timer: undefined,
      };
      this.chunks.set(chunkKey, chunk);
      const gathering = chunk;
      chunk.timer = setTimeout(() => this.flushChunk(chunkKey, gathering), this.deps.settings.gatherMs);
    }
    chunk.keys.add(key);
    if (chunk.keys.size >= this.deps.settings.maxLines) {
      clearTimeout(chunk.timer);
      this.flushChunk(chunkKey, chunk);
    }
  }

  private flushChunk(chunkKey: string, chunk: Chunk): void {
    if (this.chunks.get(chunkKey) === chunk) this.chunks.delete(chunkKey);
    void this.submit(chunk).catch((error: unknown) =>
      this.deps.logger.error({ err: error }, 'batch submission failed'),
    );
  }

  private async submit(chunk: Chunk): Promise<void> {
    const { store, settings } = this.deps;
    const batchPrice = this.deps.prices.batchPriceOf(chunk.resolved.ref, chunk.model);
    const jobId = randomUUID();
    const now = Date.now();
    const lines: BatchLineRequest[] = [];
    const rows = [];
    for (const key of chunk.keys) {
      const { request } = this.known.get(key)!;
      const history = store.history(key);
      if (
        history &&
        (history.submissions >= settings.maxSubmissions ||
          now - history.firstSubmittedAt >= settings.liveAfterMs)
      ) {
        this.endLine(key, { kind: 'live' });
        continue;
      }
      const reservedUsd = request.runId === undefined ? 0 : lineEstimateUsd(batchPrice, request);
      if (request.runId !== undefined) {
        try {
          this.reservations.reserve(key, request.runId, reservedUsd);
        } catch (error) {
          this.endLine(key, { kind: 'error', error: asCallError(error) });
          continue;
        }
      }
      lines.push({ customId: key, model: chunk.resolved.ref.model, request });
      rows.push({
        cacheKey: key,
        runId: request.runId ?? null,
        tag: request.tag ?? null,
        submission: (history?.submissions ?? 0) + 1,
        firstSubmittedAt: history?.firstSubmittedAt ?? now,
        reservedUsd,
      });
    }
    if (lines.length === 0) return;
    const job: BatchJobRow = {
      id: jobId,
      protocol: chunk.client.protocol,
      endpointId: chunk.resolved.provider.endpointId,
      model: chunk.model,
      providerBatchId: null,
      state: 'preparing',
      lines: lines.length,
      createdAt: now,
    };
    store.create(job, rows);
    this.progress.track(job, rows);
    let providerBatchId: string;
    try {
      providerBatchId = await chunk.client.submit(jobId, lines);
    } catch (error) {
      // Refused (an OpenAI-compatible server without /v1/batches, say): its lines go live.
      this.deps.logger.warn(
        { model: chunk.model, lines: lines.length },
        `batch refused, lines go live: ${(error as Error).message}`,
      );
      this.abandon(job, 'live');
      return;
    }
    store.markSubmitted(jobId, providerBatchId);
    await this.follow({ ...job, providerBatchId, state: 'submitted' }, chunk.client, false);
  }

  /** Jobs a previous process left open: polled, never submitted again. */
  private async resume(): Promise<void> {
    for (const job of this.deps.store.openJobs()) {
      let client: BatchClient | undefined;
      try {
        client = this.deps.clientFor(this.deps.registry.resolve(job.model));
      } catch {}
      if (!client) continue;
      let providerBatchId = job.providerBatchId;
      if (providerBatchId === null) {
        const found = await client.findSubmitted(job.id).catch(() => null);
        if (!found) {
          // Never reached the provider (or cannot be told): its lines are free to be sent again.
          this.deps.store.end(job.id, 'abandoned', new Set());
          continue;
        }
        providerBatchId = found;
        this.deps.store.markSubmitted(job.id, found);
      }
      const lines = this.deps.store.lines(job.id);
      for (const line of lines) {
        if (!this.waits.has(line.cacheKey)) this.waits.set(line.cacheKey, new LineWait());
        if (line.runId !== null) this.reservations.adopt(line.cacheKey, line.runId, line.reservedUsd);
      }
      this.progress.track({ ...job, providerBatchId }, lines);
      void this.follow({ ...job, providerBatchId, state: 'submitted' }, client, true).catch(
        (error: unknown) => this.deps.logger.error({ err: error }, 'resumed batch failed'),
      );
    }
  }

  private async follow(
    job: BatchJobRow & { providerBatchId: string },
    client: BatchClient,
    pollNow: boolean,
  ) {
    const { settings } = this.deps;
    let delay = settings.pollInitialMs;
    for (let first = true; !this.closing.signal.aborted; first = false) {
      if (!(first && pollNow)) {
        await sleepUnlessAborted(delay, this.closing.signal);
        delay = Math.min(Math.round(delay * 1.5), settings.pollMaxMs);
        if (this.closing.signal.aborted) return;
      }
      let state: Awaited<ReturnType<BatchClient['poll']>>;
      try {
        state = await client.poll(job.providerBatchId);
      } catch (error) {
        this.deps.logger.warn(
          { batch: job.providerBatchId },
          `batch poll failed, polling again: ${(error as Error).message}`,
        );
        continue;
      }
      if (state.ended) {
        this.finish(job, state.lines);
        return;
      }
      this.progress.linesDone(job.id, state.done);
      if (Date.now() - job.createdAt >= settings.liveAfterMs) {
        this.abandon(job, 'live');
        return;
      }
    }
  }

  private finish(job: BatchJobRow, outcomes: Map<string, BatchLineOutcome>): void {
    const { cache, ledger, prices, store, registry } = this.deps;
    const ref = registry.resolve(job.model).ref;
    const price = prices.batchPriceOf(ref, job.model);
    const livePrice = prices.priceOf(ref, job.model);
    const latencyMs = Date.now() - job.createdAt;
    const answered = new Set<string>();
    const retry: string[] = [];
    for (const line of store.lines(job.id)) {
      const outcome = outcomes.get(line.cacheKey);
      if (!outcome?.ok) {
        this.reservations.settle(line.cacheKey, { paid: false });
        retry.push(line.cacheKey);
        continue;
      }
      answered.add(line.cacheKey);
      cache.put(line.cacheKey, job.model, outcome.output);
      const costUsd = costOf(price, outcome.output.usage);
      const liveUsd = costOf(livePrice, outcome.output.usage);
      const savedUsd = costUsd === null || liveUsd === null ? 0 : Math.max(0, liveUsd - costUsd);
      const row = { ...line, model: job.model, provider: ref.provider };
      const callId = recordBatchAnswer(ledger, row, outcome.output, latencyMs, { costUsd, savedUsd });
      this.reservations.settle(line.cacheKey, { paid: true, costUsd });
      this.endLine(line.cacheKey, { kind: 'answered', output: outcome.output, callId, costUsd, latencyMs });
    }
    this.deps.flush();
    store.end(job.id, 'ended', answered);
    this.progress.ended(job.id);
    // Failed, expired or cancelled lines: into a new batch while they have submissions left.
    for (const key of retry) {
      if (this.known.has(key)) this.enqueue(key);
      else this.endLine(key, { kind: 'live' });
    }
  }

  private abandon(job: BatchJobRow, end: 'live'): void {
    this.deps.store.end(job.id, 'abandoned', new Set());
    this.progress.ended(job.id);
    for (const line of this.deps.store.lines(job.id)) {
      this.reservations.settle(line.cacheKey, { paid: false });
      this.endLine(line.cacheKey, { kind: end });
    }
  }

  private endLine(key: string, end: LineEnd): void {
    const wait = this.waits.get(key);
    this.waits.delete(key);
    this.known.delete(key);
    wait?.end(end);
  }
}
