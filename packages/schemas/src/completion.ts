import { z } from 'zod';
import { ChatMessageSchema } from './chat-message.js';
import { ModelRefSchema } from './model-ref.js';
import { TokenUsageSchema } from './usage.js';

/**
 * Bounds on one request and one batch, so a single call cannot make the gateway hold or send
 * unbounded work (a message's length is bounded in chat-message.ts); a batch of 10,000 is
 * 20 evaluations of 500 test examples.
 */
export const COMPLETION_LIMITS = {
  messages: 100,
  stopSequences: 16,
  stopChars: 200,
  maxTokens: 1_000_000,
  batchRequests: 10_000,
  labelChars: 200,
} as const;

export const CacheModeSchema = z.enum(['use', 'refresh', 'off']);
export type CacheMode = z.infer<typeof CacheModeSchema>;

/**
 * Everything that determines a model's answer, plus bookkeeping (runId, tag, cache, timeout)
 * that does not. The gateway's cache key is built from the first group only.
 */
export const CompletionRequestSchema = z.object({
  model: ModelRefSchema,
  messages: z
    .array(ChatMessageSchema)
    .min(1, 'at least one message is required')
    .max(COMPLETION_LIMITS.messages, `at most ${COMPLETION_LIMITS.messages} messages per request`),
  temperature: z.number().min(0).max(2).default(0),
  topP: z.number().gt(0).max(1).optional(),
  maxTokens: z
    .number()
    .int()
    .positive()
    .max(COMPLETION_LIMITS.maxTokens, `maxTokens may be at most ${COMPLETION_LIMITS.maxTokens}`)
    .optional(),
  stop: z
    .array(
      z
        .string()
        .max(
          COMPLETION_LIMITS.stopChars,
          `a stop sequence may have at most ${COMPLETION_LIMITS.stopChars} characters`,
        ),
    )
    .max(COMPLETION_LIMITS.stopSequences, `at most ${COMPLETION_LIMITS.stopSequences} stop sequences`)
    .optional(),
  seed: z.number().int().optional(),
  /** Distinguishes samples of the same request at temperature > 0; replayed on resume. */
  sampleIndex: z.number().int().nonnegative().default(0),
  cache: CacheModeSchema.default('use'),
  runId: z
    .string()
    .max(COMPLETION_LIMITS.labelChars, `runId may have at most ${COMPLETION_LIMITS.labelChars} characters`)
    .optional(),
  tag: z
    .string()
    .max(COMPLETION_LIMITS.labelChars, `tag may have at most ${COMPLETION_LIMITS.labelChars} characters`)
    .optional(),
  timeoutMs: z.number().int().positive().optional(),
});
export type CompletionRequest = z.infer<typeof CompletionRequestSchema>;
export type CompletionRequestInput = z.input<typeof CompletionRequestSchema>;

export const FinishReasonSchema = z.enum(['stop', 'length', 'content-filter', 'error', 'other']);

export const CompletionResultSchema = z.object({
  callId: z.string(),
  model: ModelRefSchema,
  text: z.string(),
  usage: TokenUsageSchema,
  finishReason: FinishReasonSchema,
  cached: z.boolean(),
  latencyMs: z.number().nonnegative(),
  /** null when the model has no known price. */
  costUsd: z.number().nonnegative().nullable(),
});
export type CompletionResult = z.infer<typeof CompletionResultSchema>;

export const LlmErrorKindSchema = z.enum([
  'config',
  'auth',
  'bad-request',
  'not-found',
  'rate-limit',
  'server',
  'timeout',
  'network',
  'cancelled',
  'budget-exceeded',
  'malformed-response',
  'unknown',
]);
export type LlmErrorKind = z.infer<typeof LlmErrorKindSchema>;

export const LlmErrorSchema = z.object({
  kind: LlmErrorKindSchema,
  message: z.string(),
  status: z.number().int().optional(),
  provider: z.string().optional(),
  model: z.string().optional(),
});
export type LlmError = z.infer<typeof LlmErrorSchema>;

/**
 * How a batch of requests reaches the provider: `live` calls one by one (the default), `batch`
 * sends the lines the cache does not answer through the provider's batch API (half price at
 * OpenAI and Anthropic, answered within 24 h); models without one are called live.
 */
export const ExecutionModeSchema = z.enum(['live', 'batch']);
export type ExecutionMode = z.infer<typeof ExecutionModeSchema>;

export const CompletionBatchRequestSchema = z.object({
  execution: ExecutionModeSchema.optional(),
  requests: z
    .array(CompletionRequestSchema)
    .max(
      COMPLETION_LIMITS.batchRequests,
      `a batch may hold at most ${COMPLETION_LIMITS.batchRequests} requests; split it`,
    ),
});
export type CompletionBatchRequest = z.infer<typeof CompletionBatchRequestSchema>;
export type CompletionBatchRequestInput = z.input<typeof CompletionBatchRequestSchema>;

export const CompletionOutcomeSchema = z.discriminatedUnion('ok', [
  z.object({ ok: z.literal(true), result: CompletionResultSchema }),
  z.object({ ok: z.literal(false), error: LlmErrorSchema }),
]);
export type CompletionOutcome = z.infer<typeof CompletionOutcomeSchema>;

export const CompletionBatchResultSchema = z.object({
  outcomes: z.array(CompletionOutcomeSchema),
});
export type CompletionBatchResult = z.infer<typeof CompletionBatchResultSchema>;
