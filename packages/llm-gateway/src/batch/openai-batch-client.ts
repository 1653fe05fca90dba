import type { ProviderCallOutput } from '@metaspo/schemas';
import { z } from 'zod';
import { LlmCallError } from '../errors.js';
import { samplingSeed } from '../providers/ai-sdk.js';
import type { BatchClient, BatchLineOutcome, BatchLineRequest, BatchPoll } from './batch-client.js';
import {
  BATCH_HTTP_ATTEMPTS,
  type BatchEndpoint,
  batchHttp,
  parseJsonl,
  pauseBeforeRetry,
} from './batch-http.js';

const BatchSchema = z.object({
  id: z.string(),
  status: z.string(),
  output_file_id: z.string().nullish(),
  error_file_id: z.string().nullish(),
  request_counts: z.object({ total: z.number(), completed: z.number(), failed: z.number() }).nullish(),
  metadata: z.record(z.string(), z.string()).nullish(),
});
const BatchListSchema = z.object({ data: z.array(BatchSchema), has_more: z.boolean().optional() });
const FileSchema = z.object({ id: z.string() });
const ChatCompletionSchema = z.object({
  choices: z
    .array(
      z.object({ message: z.object({ content: z.string().nullish() }), finish_reason: z.string().nullish() }),
    )
    .min(1),
  usage: z.object({ prompt_tokens: z.number(), completion_tokens: z.number() }).nullish(),
});
const OutputLineSchema = z.object({
  custom_id: z.string(),
  response: z.object({ status_code: z.number(), body: z.unknown() }).nullish(),
  error: z.object({ code: z.string().nullish(), message: z.string().nullish() }).nullish(),
});

/** Statuses after which a batch changes no more. */
const ENDED = new Set(['completed', 'failed', 'expired', 'cancelled']);
/** The metadata key a job id travels under, so a resumed gateway finds its batch by listing. */
const JOB_METADATA_KEY = 'metaspo_job';

const FINISH: Record<string, ProviderCallOutput['finishReason']> = {
  stop: 'stop',
  length: 'length',
  content_filter: 'content-filter',
};

/** The same body the live path's OpenAI chat client sends for the request. */
function chatCompletionLineBody(line: BatchLineRequest): Record<string, unknown> {
  const { request } = line;
  const seed = samplingSeed(request);
  return {
    model: line.model,
    messages: request.messages.map((m) => ({ role: m.role, content: m.content })),
    temperature: request.temperature,
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
    ...(request.maxTokens === undefined ? {} : { max_tokens: request.maxTokens }),
    ...(request.stop === undefined ? {} : { stop: request.stop }),
    ...(seed === undefined ? {} : { seed }),
  };
}

function outputOf(body: unknown): ProviderCallOutput | undefined {
  const parsed = ChatCompletionSchema.safeParse(body);
  if (!parsed.success) return undefined;
  const choice = parsed.data.choices[0]!;
  return {
    text: choice.message.content ?? '',
    usage: {
      promptTokens: parsed.data.usage?.prompt_tokens ?? 0,
      completionTokens: parsed.data.usage?.completion_tokens ?? 0,
    },
    finishReason: FINISH[choice.finish_reason ?? ''] ?? 'other',
  };
}

/** Files and batches of OpenAI's Batch API; also any OpenAI-compatible server that serves them. */
export function createOpenAiBatchClient(endpoint: BatchEndpoint): BatchClient {
  const json = async <T>(schema: z.ZodType<T>, path: string, init?: Parameters<typeof batchHttp>[2]) =>
    schema.parse(JSON.parse(await batchHttp(endpoint, path, init)));

  const readFile = async (fileId: string, into: Map<string, BatchLineOutcome>, status: string) => {
    for (const raw of parseJsonl(await batchHttp(endpoint, `/files/${encodeURIComponent(fileId)}/content`))) {
      const line = OutputLineSchema.safeParse(raw);
      if (!line.success) continue;
      const { custom_id, response, error } = line.data;
      const output = response?.status_code === 200 ? outputOf(response.body) : undefined;
      if (output) into.set(custom_id, { ok: true, output });
      else {
        const reason =
          error?.code === 'batch_expired' || status === 'expired'
            ? 'expired'
            : error?.code === 'batch_cancelled'
              ? 'cancelled'
              : 'failed';
        const message = error?.message ?? `HTTP ${response?.status_code ?? 'no response'} for the line`;
        into.set(custom_id, { ok: false, reason, message });
      }
    }
  };

  const findSubmitted = async (jobId: string): Promise<string | undefined> => {
    // Newest first: a cut-short submission is among the latest batches.
    let after: string | undefined;
    for (let page = 0; page < 10; page += 1) {
      const list = await json(
        BatchListSchema,
        `/batches?limit=100${after ? `&after=${encodeURIComponent(after)}` : ''}`,
      );
      const found = list.data.find((batch) => batch.metadata?.[JOB_METADATA_KEY] === jobId);
      if (found) return found.id;
      if (!list.has_more || list.data.length === 0) return undefined;
      after = list.data.at(-1)!.id;
    }
    return undefined;
  };

  return {
    protocol: 'openai',
    async submit(jobId, lines) {
      const jsonl = lines
        .map((line) =>
          JSON.stringify({
            custom_id: line.customId,
            method: 'POST',
            url: '/v1/chat/completions',
            body: chatCompletionLineBody(line),
          }),
        )
        .join('\n');
      const boundary = `metaspo-${jobId}`;
      const form =
        `--${boundary}\r\nContent-Disposition: form-data; name="purpose"\r\n\r\nbatch\r\n` +
        `--${boundary}\r\nContent-Disposition: form-data; name="file"; filename="${jobId}.jsonl"\r\n` +
        `Content-Type: application/jsonl\r\n\r\n${jsonl}\n\r\n--${boundary}--\r\n`;
      const file = await json(FileSchema, '/files', {
        method: 'POST',
        body: form,
        headers: { 'content-type': `multipart/form-data; boundary=${boundary}` },
      });
      const create = {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({
          input_file_id: file.id,
          endpoint: '/v1/chat/completions',
          completion_window: '24h',
          metadata: { [JOB_METADATA_KEY]: jobId },
        }),
        attempts: 1,
      };
      // A create whose answer was lost (a timeout, a dropped connection) may have made the batch:
      // it is looked for by its job id before another create, which would make a second one.
      for (let attempt = 1; ; attempt += 1) {
        try {
          return (await json(BatchSchema, '/batches', create)).id;
        } catch (error) {
          if (!(error instanceof LlmCallError && error.retryable) || attempt >= BATCH_HTTP_ATTEMPTS)
            throw error;
          const found = await findSubmitted(jobId).catch(() => undefined);
          if (found) return found;
          await pauseBeforeRetry(attempt);
        }
      }
    },
    findSubmitted,
    async poll(providerBatchId): Promise<BatchPoll> {
      const batch = await json(BatchSchema, `/batches/${encodeURIComponent(providerBatchId)}`);
      if (!ENDED.has(batch.status)) {
        const counts = batch.request_counts;
        return {
          ended: false,
          done: (counts?.completed ?? 0) + (counts?.failed ?? 0),
          total: counts?.total ?? 0,
          cancelling: batch.status === 'cancelling',
        };
      }
      const lines = new Map<string, BatchLineOutcome>();
      if (batch.output_file_id) await readFile(batch.output_file_id, lines, batch.status);
      if (batch.error_file_id) await readFile(batch.error_file_id, lines, batch.status);
      return { ended: true, lines };
    },
    async cancel(providerBatchId) {
      await json(BatchSchema, `/batches/${encodeURIComponent(providerBatchId)}/cancel`, { method: 'POST' });
    },
  };
}
