import type { IncomingMessage, ServerResponse } from 'node:http';
import { anthropicProtocol, messageBody } from './anthropic.js';
import type { BatchLine, SimBatch, SimBatchJobs } from './batch-jobs.js';
import { HttpError, readJsonBody, sendJson } from './http-io.js';

const DAY_MS = 24 * 3600 * 1000;
const CUSTOM_ID = /^[a-zA-Z0-9_-]{1,64}$/;

function readRequests(value: unknown): BatchLine[] {
  if (!Array.isArray(value) || value.length === 0)
    throw new HttpError(400, '"requests" must be a non-empty array');
  const seen = new Set<string>();
  return value.map((item: { custom_id?: unknown; params?: unknown }) => {
    if (typeof item?.custom_id !== 'string' || !CUSTOM_ID.test(item.custom_id) || seen.has(item.custom_id)) {
      throw new HttpError(400, 'each custom_id must be unique and match ^[a-zA-Z0-9_-]{1,64}$');
    }
    if (!item.params || typeof item.params !== 'object')
      throw new HttpError(400, '"params" must be an object');
    seen.add(item.custom_id);
    return {
      customId: item.custom_id,
      request: anthropicProtocol.parse(item.params as Record<string, unknown>, {}),
    };
  });
}

/** Anthropic's Message Batches (`/v1/messages/batches`: create, retrieve, list, cancel, results). */
export function createAnthropicBatchRoutes(jobs: SimBatchJobs, baseUrl: () => string) {
  const batches = new Map<string, { id: string; job: SimBatch }>();
  let counter = 0;

  /** The batch as Anthropic shows it; `settling: false` for the answer to a cancel (`canceling` first). */
  const batchObject = ({ id, job }: { id: string; job: SimBatch }, settling = true) => {
    const ended = settling ? jobs.settle(job) : job.results !== undefined;
    const results = job.results ?? job.processed;
    const count = (kind: string) => results.filter((r) => r.kind === kind).length;
    const iso = (ms: number) => new Date(ms).toISOString();
    return {
      id,
      type: 'message_batch',
      processing_status: ended ? 'ended' : job.cancelRequestedAt !== undefined ? 'canceling' : 'in_progress',
      request_counts: {
        processing: job.lines.length - results.length,
        succeeded: count('answered'),
        errored: count('failed'),
        canceled: count('cancelled'),
        expired: count('expired'),
      },
      ended_at: job.endedAt === undefined ? null : iso(job.endedAt),
      created_at: iso(job.createdAt),
      expires_at: iso(job.createdAt + DAY_MS),
      archived_at: null,
      cancel_initiated_at: job.cancelRequestedAt === undefined ? null : iso(job.cancelRequestedAt),
      results_url: ended ? `${baseUrl()}/v1/messages/batches/${id}/results` : null,
    };
  };

  const resultsOf = (job: SimBatch): string =>
    (job.results ?? [])
      .map((result) => {
        const custom_id = result.customId;
        if (result.kind === 'answered') {
          const message = messageBody(result.model, result.output, result.id);
          return JSON.stringify({ custom_id, result: { type: 'succeeded', message } });
        }
        if (result.kind === 'failed') {
          const error = { type: 'error', error: { type: 'api_error', message: result.message } };
          return JSON.stringify({ custom_id, result: { type: 'errored', error } });
        }
        return JSON.stringify({
          custom_id,
          result: { type: result.kind === 'cancelled' ? 'canceled' : 'expired' },
        });
      })
      .join('\n');

  const batchOf = (id: string) => {
    const batch = batches.get(id);
    if (!batch) throw new HttpError(404, `no message batch ${id}`);
    return batch;
  };

  /** Handles the request if it is one of these routes; false otherwise. */
  return async (
    method: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> => {
    const parts = path.split('/').filter(Boolean);
    if (parts[0] !== 'v1' || parts[1] !== 'messages' || parts[2] !== 'batches') return false;
    const id = parts[3];
    if (method === 'POST' && id === undefined) {
      const body = await readJsonBody(req);
      const batch = { id: `msgbatch_sim${counter++}`, job: jobs.create(readRequests(body.requests)) };
      batches.set(batch.id, batch);
      sendJson(res, 200, batchObject(batch));
    } else if (method === 'GET' && id === undefined) {
      const data = [...batches.values()].reverse().map((batch) => batchObject(batch));
      sendJson(res, 200, {
        data,
        has_more: false,
        first_id: data[0]?.id ?? null,
        last_id: data.at(-1)?.id ?? null,
      });
    } else if (method === 'GET' && id !== undefined && parts.length === 4)
      sendJson(res, 200, batchObject(batchOf(id)));
    else if (method === 'POST' && id !== undefined && parts[4] === 'cancel') {
      // `canceling` now, then `ended` with the lines processed before the cancel and the rest
      // `canceled`; an ended batch cannot be canceled.
      const batch = batchOf(id);
      if (!jobs.cancel(batch.job)) throw new HttpError(400, `message batch ${id} has already ended`);
      sendJson(res, 200, batchObject(batch, false));
    } else if (method === 'GET' && id !== undefined && parts[4] === 'results') {
      const batch = batchOf(id);
      if (!jobs.settle(batch.job)) throw new HttpError(400, `message batch ${id} has not ended yet`);
      const body = resultsOf(batch.job);
      res.writeHead(200, {
        'content-type': 'application/x-jsonl',
        'content-length': Buffer.byteLength(body),
      });
      res.end(body);
    } else throw new HttpError(404, `no message batch route for ${method} ${path}`);
    return true;
  };
}
