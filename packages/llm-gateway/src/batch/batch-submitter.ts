import { randomUUID } from 'node:crypto';
import type { ResolvedModel } from '../providers/registry.js';
import { lineEstimateUsd } from './batch-budget.js';
import type { BatchClient, BatchLineRequest } from './batch-client.js';
import { abandonJob, type BatchContext } from './batch-lines.js';
import type { BatchJobRow, BatchLineRow } from './batch-store.js';
import { asCallError } from './line-wait.js';

interface Chunk {
  client: BatchClient;
  resolved: ResolvedModel;
  model: string;
  keys: Set<string>;
  timer: NodeJS.Timeout | undefined;
}

/** A submitted job, handed on to be polled. */
type FollowJob = (job: BatchJobRow & { providerBatchId: string }, client: BatchClient) => Promise<void>;

/**
 * Gathers known lines per endpoint and model for `gatherMs` (or up to `maxLines`), reserves
 * their budget, stores the job and its lines, and submits it; a refused submission sends its
 * lines live.
 */
export class BatchSubmitter {
  private readonly chunks = new Map<string, Chunk>();
  /** Submissions between their store write and the provider's answer; `close` waits for them. */
  private readonly submitting = new Set<Promise<void>>();

  constructor(
    private readonly ctx: BatchContext,
    private readonly follow: FollowJob,
  ) {}

  /** Adds a known line to the chunk gathering for its endpoint and model. */
  enqueue(key: string): void {
    const line = this.ctx.lines.known.get(key)!;
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
      chunk.timer = setTimeout(() => this.flushChunk(chunkKey, gathering), this.ctx.deps.settings.gatherMs);
    }
    chunk.keys.add(key);
    if (chunk.keys.size >= this.ctx.deps.settings.maxLines) {
      clearTimeout(chunk.timer);
      this.flushChunk(chunkKey, chunk);
    }
  }

  /**
   * Drops the chunks still gathering and waits for the submissions under way: one the provider
   * may have accepted must reach the store with its provider id, or a next gateway could not
   * follow it (an Anthropic batch cannot be found again) and would pay for its lines twice.
   */
  async close(): Promise<void> {
    for (const chunk of this.chunks.values()) clearTimeout(chunk.timer);
    this.chunks.clear();
    await Promise.all(this.submitting);
  }

  private flushChunk(chunkKey: string, chunk: Chunk): void {
    if (this.chunks.get(chunkKey) === chunk) this.chunks.delete(chunkKey);
    const submission = this.submit(chunk).catch((error: unknown) =>
      this.ctx.deps.logger.error({ err: error }, 'batch submission failed'),
    );
    this.submitting.add(submission);
    void submission.finally(() => this.submitting.delete(submission));
  }

  private async submit(chunk: Chunk): Promise<void> {
    const { deps, lines: inFlight, reservations, progress } = this.ctx;
    const { store, settings } = deps;
    const batchPrice = deps.prices.batchPriceOf(chunk.resolved.ref, chunk.model);
    const jobId = randomUUID();
    const now = Date.now();
    const lines: BatchLineRequest[] = [];
    const rows: BatchLineRow[] = [];
    for (const key of chunk.keys) {
      const { request } = inFlight.known.get(key)!;
      const history = store.history(key);
      if (
        history &&
        (history.submissions >= settings.maxSubmissions ||
          now - history.firstSubmittedAt >= settings.liveAfterMs)
      ) {
        inFlight.end(key, { kind: 'live' });
        continue;
      }
      const reservedUsd = request.runId === undefined ? 0 : lineEstimateUsd(batchPrice, request);
      if (request.runId !== undefined) {
        try {
          reservations.reserve(key, request.runId, reservedUsd);
        } catch (error) {
          inFlight.end(key, { kind: 'error', error: asCallError(error) });
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
      cancelReason: null,
      cancelRequestedAt: null,
      cancelAcknowledged: false,
    };
    store.create(job, rows);
    progress.track(job, rows);
    let providerBatchId: string;
    try {
      providerBatchId = await chunk.client.submit(jobId, lines);
    } catch (error) {
      // Left preparing for the next gateway, which looks for it at the provider.
      if (this.ctx.closing.aborted) return;
      // Refused (an OpenAI-compatible server without /v1/batches, say): its lines go live.
      deps.logger.warn(
        { model: chunk.model, lines: lines.length },
        `batch refused, lines go live: ${(error as Error).message}`,
      );
      abandonJob(this.ctx, jobId);
      return;
    }
    store.markSubmitted(jobId, providerBatchId);
    if (this.ctx.closing.aborted) return;
    await this.follow({ ...job, providerBatchId, state: 'submitted' }, chunk.client);
  }
}
