import type { CompletionRequest, ProviderCallOutput } from '@metaspo/schemas';

/** One line of a batch: its custom id is the request's cache key. */
export interface BatchLineRequest {
  customId: string;
  /** The provider's model name (the reference's model part). */
  model: string;
  request: CompletionRequest;
}

export type BatchLineOutcome =
  | { ok: true; output: ProviderCallOutput }
  | { ok: false; reason: 'failed' | 'expired' | 'cancelled'; message: string };

export type BatchPoll =
  /** `cancelling`: the provider has a cancel of it (OpenAI `cancelling`, Anthropic `canceling`). */
  | { ended: false; done: number; total: number; cancelling: boolean }
  | { ended: true; lines: Map<string, BatchLineOutcome> };

/** A provider's batch API, as the executor needs it. */
export interface BatchClient {
  readonly protocol: 'openai' | 'anthropic';
  /** Submits the lines as one batch tagged with the job id; returns the provider's batch id. */
  submit(jobId: string, lines: BatchLineRequest[]): Promise<string>;
  /**
   * The provider batch of a job whose submission was cut short (the process died between the
   * provider's answer and the store's write): found by the job id it was tagged with, or
   * undefined when the provider has no batch of it. `null` when the API cannot tell.
   */
  findSubmitted(jobId: string): Promise<string | undefined | null>;
  poll(providerBatchId: string): Promise<BatchPoll>;
  /**
   * Asks the provider to cancel the batch: it ends later with the lines it had answered (they
   * are billed) and the rest cancelled. Throws when the provider refuses (the batch has ended).
   */
  cancel(providerBatchId: string): Promise<void>;
}
