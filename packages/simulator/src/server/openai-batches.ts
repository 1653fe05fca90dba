import type { IncomingMessage, ServerResponse } from 'node:http';
import type { BatchLine, SimBatch, SimBatchJobs } from './batch-jobs.js';
import { HttpError, readJsonBody, sendJson } from './http-io.js';
import { parseMultipart, readRawBody } from './multipart.js';
import { chatCompletionBody, openAiProtocol } from './openai.js';

interface SimFile {
  id: string;
  filename: string;
  purpose: string;
  createdAt: number;
  content: Buffer;
}

interface OpenAiBatch {
  id: string;
  job: SimBatch;
  inputFileId: string;
  metadata: Record<string, string> | null;
  outputFileId: string | null;
  errorFileId: string | null;
  filesWritten: boolean;
}

const seconds = (ms: number) => Math.floor(ms / 1000);
const DAY_MS = 24 * 3600 * 1000;

/** Input lines of a batch file, or the reason the batch fails validation. */
function readLines(content: Buffer): BatchLine[] | { message: string; line: number } {
  const lines: BatchLine[] = [];
  const seen = new Set<string>();
  const texts = content.toString('utf8').split('\n');
  for (let i = 0; i < texts.length; i += 1) {
    const text = texts[i]!.trim();
    if (text === '') continue;
    let parsed: { custom_id?: unknown; method?: unknown; url?: unknown; body?: unknown };
    try {
      parsed = JSON.parse(text) as typeof parsed;
    } catch {
      return { message: 'line is not valid JSON', line: i + 1 };
    }
    if (typeof parsed.custom_id !== 'string' || seen.has(parsed.custom_id)) {
      return { message: 'custom_id must be a unique string', line: i + 1 };
    }
    if (parsed.method !== 'POST' || parsed.url !== '/v1/chat/completions') {
      return { message: 'each line must POST to /v1/chat/completions', line: i + 1 };
    }
    if (!parsed.body || typeof parsed.body !== 'object')
      return { message: 'body must be an object', line: i + 1 };
    seen.add(parsed.custom_id);
    try {
      lines.push({
        customId: parsed.custom_id,
        request: openAiProtocol.parse(parsed.body as Record<string, unknown>, {}),
      });
    } catch (error) {
      return { message: (error as Error).message, line: i + 1 };
    }
  }
  return lines.length > 0 ? lines : { message: 'the file has no requests', line: 0 };
}

/** OpenAI's files and batches endpoints over the simulated model (`/v1/files`, `/v1/batches`). */
export function createOpenAiBatchRoutes(jobs: SimBatchJobs) {
  const files = new Map<string, SimFile>();
  const batches = new Map<string, OpenAiBatch>();
  let fileCounter = 0;
  let batchCounter = 0;

  const storeFile = (filename: string, purpose: string, content: Buffer): SimFile => {
    const file = { id: `file-sim${fileCounter++}`, filename, purpose, createdAt: Date.now(), content };
    files.set(file.id, file);
    return file;
  };
  const fileObject = (file: SimFile) => ({
    id: file.id,
    object: 'file',
    bytes: file.content.length,
    created_at: seconds(file.createdAt),
    filename: file.filename,
    purpose: file.purpose,
  });

  /** Writes the output and error files once the batch has ended. */
  const settle = (batch: OpenAiBatch): void => {
    if (batch.filesWritten || !jobs.settle(batch.job)) return;
    batch.filesWritten = true;
    const results = batch.job.results ?? [];
    const output: string[] = [];
    const errors: string[] = [];
    for (const result of results) {
      const id = `batch_req_${batch.id}_${result.customId}`;
      if (result.kind === 'answered') {
        const body = chatCompletionBody(result.model, result.output, result.id);
        output.push(
          JSON.stringify({
            id,
            custom_id: result.customId,
            response: { status_code: 200, body },
            error: null,
          }),
        );
      } else if (result.kind === 'failed') {
        const body = { error: { message: result.message, type: 'server_error', code: null } };
        errors.push(
          JSON.stringify({
            id,
            custom_id: result.customId,
            response: { status_code: 500, body },
            error: null,
          }),
        );
      } else {
        const code = result.kind === 'expired' ? 'batch_expired' : 'batch_cancelled';
        const message = `This request could not be executed before the batch ${result.kind === 'expired' ? 'expired' : 'was cancelled'}.`;
        errors.push(
          JSON.stringify({ id, custom_id: result.customId, response: null, error: { code, message } }),
        );
      }
    }
    if (output.length > 0) {
      batch.outputFileId = storeFile(
        `${batch.id}_output.jsonl`,
        'batch_output',
        Buffer.from(`${output.join('\n')}\n`),
      ).id;
    }
    if (errors.length > 0) {
      batch.errorFileId = storeFile(
        `${batch.id}_error.jsonl`,
        'batch_output',
        Buffer.from(`${errors.join('\n')}\n`),
      ).id;
    }
  };

  /** The batch as OpenAI shows it; `settling: false` for the answer to a cancel (`cancelling` first). */
  const batchObject = (batch: OpenAiBatch, settling = true) => {
    if (settling) settle(batch);
    const { job } = batch;
    const results = job.results;
    const cancelled = job.cancelRequestedAt !== undefined;
    const status = !results
      ? cancelled
        ? 'cancelling'
        : 'in_progress'
      : cancelled
        ? 'cancelled'
        : job.expires
          ? 'expired'
          : 'completed';
    const lines = results ?? job.processed;
    const done = lines.filter((r) => r.kind === 'answered').length;
    const failed = lines.filter((r) => r.kind !== 'answered').length;
    const ended = job.endedAt === undefined ? null : seconds(job.endedAt);
    return {
      id: batch.id,
      object: 'batch',
      endpoint: '/v1/chat/completions',
      errors: null,
      input_file_id: batch.inputFileId,
      completion_window: '24h',
      status,
      output_file_id: batch.outputFileId,
      error_file_id: batch.errorFileId,
      created_at: seconds(job.createdAt),
      in_progress_at: seconds(job.createdAt),
      expires_at: seconds(job.createdAt + DAY_MS),
      completed_at: status === 'completed' ? ended : null,
      expired_at: status === 'expired' ? ended : null,
      cancelling_at: cancelled ? seconds(job.cancelRequestedAt!) : null,
      cancelled_at: status === 'cancelled' ? ended : null,
      failed_at: null,
      request_counts: { total: job.lines.length, completed: done, failed },
      metadata: batch.metadata,
    };
  };

  const batchOf = (id: string): OpenAiBatch => {
    const batch = batches.get(id);
    if (!batch) throw new HttpError(404, `no batch ${id}`);
    return batch;
  };

  const create = async (req: IncomingMessage, res: ServerResponse) => {
    const body = await readJsonBody(req);
    if (body.endpoint !== '/v1/chat/completions') {
      throw new HttpError(400, 'endpoint must be /v1/chat/completions (the only one the simulator serves)');
    }
    if (body.completion_window !== '24h') throw new HttpError(400, 'completion_window must be 24h');
    const file = typeof body.input_file_id === 'string' ? files.get(body.input_file_id) : undefined;
    if (file?.purpose !== 'batch')
      throw new HttpError(400, 'input_file_id must name a file of purpose batch');
    const lines = readLines(file.content);
    const id = `batch_sim${batchCounter++}`;
    const metadata =
      body.metadata && typeof body.metadata === 'object' ? (body.metadata as Record<string, string>) : null;
    if (!Array.isArray(lines)) {
      const now = seconds(Date.now());
      sendJson(res, 200, {
        id,
        object: 'batch',
        endpoint: body.endpoint,
        status: 'failed',
        errors: {
          object: 'list',
          data: [{ code: 'invalid_request', message: lines.message, line: lines.line }],
        },
        input_file_id: file.id,
        completion_window: '24h',
        created_at: now,
        failed_at: now,
        output_file_id: null,
        error_file_id: null,
        request_counts: { total: 0, completed: 0, failed: 0 },
        metadata,
      });
      return;
    }
    const batch: OpenAiBatch = {
      id,
      job: jobs.create(lines),
      inputFileId: file.id,
      metadata,
      outputFileId: null,
      errorFileId: null,
      filesWritten: false,
    };
    batches.set(id, batch);
    sendJson(res, 200, batchObject(batch));
  };

  /** Handles the request if it is one of these routes; false otherwise. */
  return async (
    method: string,
    path: string,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<boolean> => {
    const parts = path.split('/').filter(Boolean);
    if (parts[0] !== 'v1' || (parts[1] !== 'files' && parts[1] !== 'batches')) return false;
    if (parts[1] === 'files') {
      if (method === 'POST' && parts.length === 2) {
        const form = parseMultipart(await readRawBody(req), req.headers['content-type']);
        const purpose = form.get('purpose')?.data.toString('utf8');
        const upload = form.get('file');
        if (purpose !== 'batch' || !upload)
          throw new HttpError(400, 'a file and purpose "batch" are required');
        jobs.stats().files += 1;
        sendJson(res, 200, fileObject(storeFile(upload.filename ?? 'upload.jsonl', purpose, upload.data)));
        return true;
      }
      const file = parts[2] ? files.get(parts[2]) : undefined;
      if (method === 'GET' && file && parts.length === 3) sendJson(res, 200, fileObject(file));
      else if (method === 'GET' && file && parts[3] === 'content' && parts.length === 4) {
        res.writeHead(200, {
          'content-type': 'application/octet-stream',
          'content-length': file.content.length,
        });
        res.end(file.content);
      } else throw new HttpError(404, `no file route for ${method} ${path}`);
      return true;
    }
    if (method === 'POST' && parts.length === 2) await create(req, res);
    else if (method === 'GET' && parts.length === 2) {
      // Newest first, paged by `after` (an id) and `limit`, as OpenAI lists them.
      const query = new URLSearchParams(req.url?.split('?')[1] ?? '');
      const limit = Math.min(Number(query.get('limit') ?? 20) || 20, 100);
      const all = [...batches.values()].reverse();
      const after = query.get('after');
      const from = after ? all.findIndex((b) => b.id === after) + 1 : 0;
      const page = all.slice(from, from + limit).map((batch) => batchObject(batch));
      sendJson(res, 200, {
        object: 'list',
        data: page,
        first_id: page[0]?.id ?? null,
        last_id: page.at(-1)?.id ?? null,
        has_more: from + limit < all.length,
      });
    } else if (method === 'GET' && parts.length === 3) sendJson(res, 200, batchObject(batchOf(parts[2]!)));
    else if (method === 'POST' && parts.length === 4 && parts[3] === 'cancel') {
      // In progress: `cancelling` now, `cancelled` with the lines done so far in the output file
      // once it ends; an ended batch cannot be cancelled.
      const batch = batchOf(parts[2]!);
      if (!jobs.cancel(batch.job)) {
        throw new HttpError(400, `Cannot cancel a batch with status '${batchObject(batch).status}'.`);
      }
      sendJson(res, 200, batchObject(batch, false));
    } else throw new HttpError(404, `no batch route for ${method} ${path}`);
    return true;
  };
}
