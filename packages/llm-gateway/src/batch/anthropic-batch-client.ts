import type { ProviderCallOutput } from '@metaspo/schemas';
import { z } from 'zod';
import type { BatchClient, BatchLineOutcome, BatchLineRequest, BatchPoll } from './batch-client.js';
import { type BatchEndpoint, batchHttp, parseJsonl } from './batch-http.js';

/** Anthropic requires max_tokens; the same default the live path's client sends. */
const ANTHROPIC_DEFAULT_MAX_TOKENS = 4096;

const MessageBatchSchema = z.object({
  id: z.string(),
  processing_status: z.string(),
  request_counts: z
    .object({
      processing: z.number(),
      succeeded: z.number(),
      errored: z.number(),
      canceled: z.number(),
      expired: z.number(),
    })
    .nullish(),
  results_url: z.string().nullish(),
});
const ResultLineSchema = z.object({
  custom_id: z.string(),
  result: z.object({
    type: z.string(),
    message: z
      .object({
        content: z.array(z.object({ type: z.string(), text: z.string().optional() })),
        stop_reason: z.string().nullish(),
        usage: z.object({ input_tokens: z.number(), output_tokens: z.number() }),
      })
      .optional(),
    error: z.unknown().optional(),
  }),
});

const FINISH: Record<string, ProviderCallOutput['finishReason']> = {
  end_turn: 'stop',
  stop_sequence: 'stop',
  max_tokens: 'length',
};

function messageLineParams(line: BatchLineRequest): Record<string, unknown> {
  const { request } = line;
  const system = request.messages.filter((m) => m.role === 'system').map((m) => m.content);
  return {
    model: line.model,
    max_tokens: request.maxTokens ?? ANTHROPIC_DEFAULT_MAX_TOKENS,
    temperature: request.temperature,
    ...(system.length > 0 ? { system: system.join('\n') } : {}),
    messages: request.messages
      .filter((m) => m.role !== 'system')
      .map((m) => ({ role: m.role, content: [{ type: 'text', text: m.content }] })),
    ...(request.topP === undefined ? {} : { top_p: request.topP }),
    ...(request.stop === undefined ? {} : { stop_sequences: request.stop }),
  };
}

/** Anthropic's Message Batches: the requests inline, results as JSONL at `results_url`. */
export function createAnthropicBatchClient(endpoint: BatchEndpoint): BatchClient {
  const json = async <T>(schema: z.ZodType<T>, path: string, init?: Parameters<typeof batchHttp>[2]) =>
    schema.parse(JSON.parse(await batchHttp(endpoint, path, init)));
  return {
    protocol: 'anthropic',
    async submit(_jobId, lines) {
      const requests = lines.map((line) => ({ custom_id: line.customId, params: messageLineParams(line) }));
      const batch = await json(MessageBatchSchema, '/messages/batches', {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: JSON.stringify({ requests }),
      });
      return batch.id;
    },
    // Message batches carry no metadata to find a job by: a cut-short submission is unknown.
    findSubmitted: async () => null,
    async poll(providerBatchId): Promise<BatchPoll> {
      const id = encodeURIComponent(providerBatchId);
      const batch = await json(MessageBatchSchema, `/messages/batches/${id}`);
      const counts = batch.request_counts;
      if (batch.processing_status !== 'ended') {
        const total = counts
          ? counts.processing + counts.succeeded + counts.errored + counts.canceled + counts.expired
          : 0;
        const cancelling = batch.processing_status === 'canceling';
        return { ended: false, done: total - (counts?.processing ?? 0), total, cancelling };
      }
      const lines = new Map<string, BatchLineOutcome>();
      for (const raw of parseJsonl(await batchHttp(endpoint, `/messages/batches/${id}/results`))) {
        const line = ResultLineSchema.safeParse(raw);
        if (!line.success) continue;
        const { custom_id, result } = line.data;
        if (result.type === 'succeeded' && result.message) {
          const text = result.message.content
            .map((block) => (block.type === 'text' ? (block.text ?? '') : ''))
            .join('');
          lines.set(custom_id, {
            ok: true,
            output: {
              text,
              usage: {
                promptTokens: result.message.usage.input_tokens,
                completionTokens: result.message.usage.output_tokens,
              },
              finishReason: FINISH[result.message.stop_reason ?? ''] ?? 'other',
            },
          });
        } else {
          const reason =
            result.type === 'expired' ? 'expired' : result.type === 'canceled' ? 'cancelled' : 'failed';
          lines.set(custom_id, {
            ok: false,
            reason,
            message: `line ${result.type}: ${JSON.stringify(result.error ?? {}).slice(0, 300)}`,
          });
        }
      }
      return { ended: true, lines };
    },
    async cancel(providerBatchId) {
      const id = encodeURIComponent(providerBatchId);
      await json(MessageBatchSchema, `/messages/batches/${id}/cancel`, { method: 'POST' });
    },
  };
}
