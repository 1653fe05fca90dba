import { z } from 'zod';

const positiveInt = z.number().int().positive();

/** Limits of one endpoint (a provider + base URL + key identity). */
export const EndpointLimitsSchema = z.object({
  /** Parallel calls; adapts down on 429 and recovers after successes. */
  concurrency: positiveInt.optional(),
  /** Requests per minute. */
  rpm: positiveInt.optional(),
  /** Tokens per minute (prompt estimate + max tokens, corrected by the reported usage). */
  tpm: positiveInt.optional(),
});
export type EndpointLimits = z.infer<typeof EndpointLimitsSchema>;

const replicaUrl = z.url({ error: 'a replica is a base URL such as http://10.0.0.2:8000/v1' });

/**
 * One server of an endpoint's replicas: a base URL serving the same model, and at most
 * `concurrency` of the endpoint's calls at a time (default: the endpoint's concurrency if set,
 * else `llm.concurrency`).
 */
export const EndpointReplicaSchema = z.union([
  replicaUrl,
  z.object({ url: replicaUrl, concurrency: positiveInt.optional() }).strict(),
]);
export type EndpointReplica = z.infer<typeof EndpointReplicaSchema>;

/** Several servers of one model (vLLM or SGLang on several machines): the gateway spreads calls over them. */
const ReplicasSchema = z.array(EndpointReplicaSchema).min(1);

const oneBaseUrl = {
  check: (endpoint: { baseUrl?: string | undefined; replicas?: EndpointReplica[] | undefined }) =>
    (endpoint.baseUrl === undefined) !== (endpoint.replicas === undefined),
  message: 'give an endpoint either baseUrl or replicas (a list of base URLs), not both',
};

/** A named OpenAI-compatible server, used as `openai-compatible@<name>:<model>`. */
export const NamedEndpointSchema = EndpointLimitsSchema.extend({
  baseUrl: z.url({ error: 'baseUrl must be a URL such as http://127.0.0.1:8000/v1' }).optional(),
  replicas: ReplicasSchema.optional(),
  /** The environment variable holding the key (never the key itself). */
  apiKeyEnv: z
    .string()
    .regex(/^[A-Z_][A-Z0-9_]*$/, 'apiKeyEnv is the NAME of an environment variable, e.g. VLLM_API_KEY')
    .optional(),
}).refine(oneBaseUrl.check, { message: oneBaseUrl.message });
export type NamedEndpoint = z.infer<typeof NamedEndpointSchema>;

/** Built-in providers may get limits and (where the SDK allows) a different base URL. */
export const ProviderSettingsSchema = EndpointLimitsSchema.extend({
  baseUrl: z.url().optional(),
});

/** Ollama is an OpenAI-compatible server too: it may run as replicas. */
const OllamaSettingsSchema = ProviderSettingsSchema.extend({ replicas: ReplicasSchema.optional() }).refine(
  (settings) => settings.baseUrl === undefined || settings.replicas === undefined,
  { message: oneBaseUrl.message },
);

/**
 * When a replica is taken out of an endpoint's rotation and how it comes back: after `failures`
 * consecutive connection errors or 5xx answers (or a failed check), it is probed
 * (`GET <url>/models`) after `probeInitialMs`, twice as long after each failed probe up to
 * `probeMaxMs`, and back in at the first probe it answers.
 */
export const FailoverSettingsSchema = z
  .object({
    failures: positiveInt.default(3),
    probeInitialMs: positiveInt.default(1_000),
    probeMaxMs: positiveInt.default(30_000),
  })
  .strict();
export type FailoverSettings = z.infer<typeof FailoverSettingsSchema>;

export const PriceSchema = z.object({
  /** USD per million input (prompt) tokens. */
  input: z.number().nonnegative(),
  /** USD per million output (completion) tokens. */
  output: z.number().nonnegative(),
});
export type Price = z.infer<typeof PriceSchema>;

export const RetrySettingsSchema = z.object({
  maxAttempts: positiveInt.default(5),
  baseDelayMs: z.number().int().nonnegative().default(500),
  maxDelayMs: z.number().int().nonnegative().default(30_000),
  /**
   * Retries after a timeout, within maxAttempts. A timed-out request may still be billed, so
   * each one is paid for without an answer: two by default, not maxAttempts - 1.
   */
  timeoutRetries: z.number().int().nonnegative().default(2),
});
export type RetrySettings = z.infer<typeof RetrySettingsSchema>;

/** Largest model file `metaspo models pull` downloads unless told otherwise: 16 GiB. */
export const DEFAULT_PULL_MAX_BYTES = 16 * 1024 ** 3;

/** Embedded llama.cpp: which GGUF files `llamacpp:<model>` may load, and how. */
export const LlamaCppSettingsSchema = z
  .object({
    parallelSequences: positiveInt.default(2),
    contextSize: positiveInt.optional(),
    /**
     * Where llama.cpp computes: off (the CPU build, the default) or a GPU backend whose prebuilt
     * binary is installed ('auto' takes the first that works and falls back to the CPU).
     */
    gpu: z.union([z.literal(false), z.enum(['auto', 'cuda', 'vulkan', 'metal'])]).optional(),
    /** `llamacpp:<name>` loads the file at the path (relative paths: from the working directory). */
    models: z
      .record(
        z.string().regex(/^[A-Za-z0-9][A-Za-z0-9_.-]*$/, 'a model name is letters, digits, _ . and -'),
        z.string().min(1),
      )
      .default({}),
    /** `llamacpp:<file>.gguf` loads a file under this directory; `metaspo models pull` saves here. */
    modelsDir: z.string().min(1).optional(),
    /** Largest file `metaspo models pull` downloads, in bytes. */
    pullMaxBytes: positiveInt.default(DEFAULT_PULL_MAX_BYTES),
  })
  .strict();
export type LlamaCppSettings = z.infer<typeof LlamaCppSettingsSchema>;

/**
 * Batch execution (`execution: 'batch'`): how lines are gathered into provider batches, how
 * those are polled, and when a line that failed or expired in a batch is sent live instead.
 */
export const BatchSettingsSchema = z
  .object({
    /** Lines of concurrent batch calls to one endpoint gathered this long into one submission. */
    gatherMs: z.number().int().nonnegative().default(200),
    /** Lines per submitted batch at most (OpenAI takes 50,000, Anthropic 100,000). */
    maxLines: positiveInt.default(10_000),
    /** First poll delay; each next one is 1.5 times longer, up to `pollMaxMs`. */
    pollInitialMs: positiveInt.default(2_000),
    pollMaxMs: positiveInt.default(60_000),
    /** Batches a line is submitted in before it is sent live. */
    maxSubmissions: positiveInt.default(2),
    /** A line still unanswered this long after its first submission is sent live (default 24 h). */
    liveAfterMs: positiveInt.default(24 * 3600 * 1000),
    /**
     * A batch the gateway cancelled that is still cancelling this long after the cancel has its
     * lines sent live (default 15 minutes; OpenAI documents up to 10).
     */
    cancelGraceMs: positiveInt.default(15 * 60_000),
    /**
     * One exchange with a batch API (an upload, a create, a poll, a download) that has not
     * finished this long is given up and retried, so a stalled provider cannot hold a job forever.
     */
    httpTimeoutMs: positiveInt.default(5 * 60_000),
  })
  .strict();
export type BatchSettings = z.infer<typeof BatchSettingsSchema>;

/** The `llm` section of the YAML configuration file. */
export const GatewayConfigSchema = z
  .object({
    /** Default parallel calls per endpoint. */
    concurrency: positiveInt.default(16),
    rpm: positiveInt.optional(),
    tpm: positiveInt.optional(),
    timeoutMs: positiveInt.default(60_000),
    retries: RetrySettingsSchema.default({
      maxAttempts: 5,
      baseDelayMs: 500,
      maxDelayMs: 30_000,
      timeoutRetries: 2,
    }),
    providers: z
      .object({
        openai: ProviderSettingsSchema.optional(),
        anthropic: ProviderSettingsSchema.optional(),
        google: ProviderSettingsSchema.optional(),
        ollama: OllamaSettingsSchema.optional(),
        sim: EndpointLimitsSchema.extend({ malformedRate: z.number().min(0).max(1).optional() }).optional(),
      })
      .strict()
      .default({}),
    endpoints: z.record(z.string().regex(/^[A-Za-z0-9_.-]+$/), NamedEndpointSchema).default({}),
    /** Keyed by model reference (`openai:gpt-4o-mini`) or bare model name (`gpt-4o-mini`). */
    prices: z.record(z.string(), PriceSchema).default({}),
    batch: BatchSettingsSchema.default({
      gatherMs: 200,
      maxLines: 10_000,
      pollInitialMs: 2_000,
      pollMaxMs: 60_000,
      maxSubmissions: 2,
      liveAfterMs: 24 * 3600 * 1000,
      cancelGraceMs: 15 * 60_000,
      httpTimeoutMs: 5 * 60_000,
    }),
    failover: FailoverSettingsSchema.default({ failures: 3, probeInitialMs: 1_000, probeMaxMs: 30_000 }),
    llamacpp: LlamaCppSettingsSchema.default({
      parallelSequences: 2,
      models: {},
      pullMaxBytes: DEFAULT_PULL_MAX_BYTES,
    }),
  })
  .strict();
export type GatewayConfig = z.infer<typeof GatewayConfigSchema>;
export type GatewayConfigInput = z.input<typeof GatewayConfigSchema>;
