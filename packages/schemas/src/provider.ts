import type { ChatMessage } from './chat-message.js';
import type { LlmErrorKind } from './completion.js';
import type { EndpointLimits, GatewayConfig } from './gateway-config.js';
import type { ProviderStatus } from './llm-api.js';
import type { ParsedModelRef, Provider } from './model-ref.js';
import type { ProviderCheck } from './provider-check.js';
import type { TokenUsage } from './usage.js';

/** What a provider adapter receives: the parsed model plus everything that shapes the answer. */
export interface ProviderCallInput {
  model: string;
  messages: ChatMessage[];
  temperature: number;
  topP?: number | undefined;
  maxTokens?: number | undefined;
  stop?: string[] | undefined;
  seed?: number | undefined;
  sampleIndex: number;
  signal: AbortSignal;
}

export interface ProviderCallOutput {
  text: string;
  usage: TokenUsage;
  finishReason: 'stop' | 'length' | 'content-filter' | 'error' | 'other';
}

/**
 * One configured model provider. `endpointId` identifies provider + base URL + key identity
 * (a hash, never the key) and is what the scheduler's limits are keyed on.
 */
export interface ModelProvider {
  readonly provider: Provider;
  readonly endpointId: string;
  complete(input: ProviderCallInput): Promise<ProviderCallOutput>;
  close?(): Promise<void>;
}

/**
 * A failure a provider has already classified (a `config` problem, a cancellation...). The
 * gateway keeps its kind; anything else a provider throws is classified by the gateway.
 */
export class ProviderError extends Error {
  readonly kind: LlmErrorKind;
  readonly retryable: boolean;

  constructor(init: { kind: LlmErrorKind; message: string; retryable?: boolean }) {
    super(init.message);
    this.name = 'ProviderError';
    this.kind = init.kind;
    this.retryable = init.retryable ?? false;
  }
}

/** Environment variables as the gateway reads them (process.env or a test's own object). */
export type ProviderEnv = Readonly<Record<string, string | undefined>>;

/** What a factory plans from: the validated `llm` config section and the environment. */
export interface ProviderContext {
  config: GatewayConfig;
  env: ProviderEnv;
}

/**
 * An endpoint: how to build its provider (once per `key`, shared by every reference that
 * plans to the same key), or what is missing to build it. `missing` completes the sentence
 * "provider X is not configured: ..."; `message` replaces that sentence; `envVar` names the
 * variable to set. None of them ever holds a value read from the environment.
 */
export type EndpointPlan =
  | { ok: true; key: string; limits: EndpointLimits; build: () => ModelProvider }
  | { ok: false; missing: string; message?: string; envVar?: string };

/** How a factory reports a configured provider after a real check (a probe, a file lookup). */
export type ProviderCheckResult = Pick<ProviderCheck, 'state' | 'detail' | 'latencyMs'>;

/**
 * Registered with the gateway by provider name: plans endpoints from config + environment,
 * builds their providers, lists and checks itself. The gateway owns scheduling, cache and
 * ledger; a factory owns everything specific to its provider.
 */
export interface ProviderFactory {
  readonly provider: Provider;
  plan(ref: ParsedModelRef, context: ProviderContext): EndpointPlan;
  /** A problem with the model name that a call would otherwise be the first to reveal. */
  modelProblem?(ref: ParsedModelRef): string | undefined;
  /** The rows of the gateway's provider list; default: one row for the model `default`. */
  statusRefs?(context: ProviderContext): ParsedModelRef[];
  /** What is missing for the provider to serve anything; default: what `plan` of the row misses. */
  missing?(ref: ParsedModelRef, context: ProviderContext): string | undefined;
  /** A configured provider's real state; default: `key-set` (a hosted API, not called). */
  check?(status: ProviderStatus, context: ProviderContext): Promise<ProviderCheckResult>;
  /** False while something the provider answers from is still to be loaded (an answer key). */
  loaded?(): boolean;
}
