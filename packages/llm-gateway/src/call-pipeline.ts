import { randomUUID } from 'node:crypto';
import type { CompletionRequest, CompletionResult } from '@metaspo/schemas';
import { createRng, seedFrom, sha256Hex } from '@metaspo/service-kit';
import { type AttemptCount, estimatedTokens, NO_CHARGE, unansweredCharge } from './attempt-cost.js';
import type { GatewayConfig } from './config.js';
import {
  AttemptTimeout,
  cancelled,
  classifyProviderError,
  LlmCallError,
  storageUnavailable,
} from './errors.js';
import { costOf, type PriceTable } from './prices.js';
import type { ProviderRegistry, ResolvedModel } from './providers/registry.js';
import type { ProviderCallOutput } from './providers/types.js';
import type { CancelToken } from './scheduler/cancel-token.js';
import { Flight } from './scheduler/flight.js';
import { retryDelayMs, sleep } from './scheduler/retry.js';
import type { CallerScope, LinkedToken, RunSignals } from './scheduler/run-signals.js';
import type { Budgets } from './store/budgets.js';
import type { Ledger } from './store/ledger.js';
import type { ResponseCache } from './store/response-cache.js';
import type { WriteQueue } from './store/write-queue.js';

export interface CallPipelineDeps {
  config: GatewayConfig;
  registry: ProviderRegistry;
  cache: ResponseCache;
  ledger: Ledger;
  budgets: Budgets;
  prices: PriceTable;
  runs: RunSignals;
  /** The write queue's state: while it cannot write, calls are refused. */
  storage: Pick<WriteQueue, 'failure' | 'retry'>;
}

/**
 * Everything that determines an answer, and nothing else: no key, URL or header, and no
 * bookkeeping (run id, tag, timeout), so the same request from any run replays the same entry.
 * A fixed-order JSON array rather than canonical JSON of an object: no key sorting or object
 * copies on a path every call takes, and just as unambiguous (absent fields are null).
 */
export function cacheKeyOf(resolved: Pick<ResolvedModel, 'ref'>, request: CompletionRequest): string {
  const fields: unknown[] = [
    resolved.ref.provider,
    resolved.ref.endpoint ?? null,
    resolved.ref.model,
    request.temperature,
    request.topP ?? null,
    request.maxTokens ?? null,
    request.stop ?? null,
    request.seed ?? null,
    request.sampleIndex ?? null,
  ];
  for (const message of request.messages) fields.push(message.role, message.content);
  return sha256Hex(JSON.stringify(fields));
}

/** One request from admission to ledger row: cache, coalescing, budget, scheduler, retries. */
export class CallPipeline {
  private readonly inFlight = new Map<string, Flight<ProviderCallOutput>>();

  constructor(private readonly deps: CallPipelineDeps) {}

  get coalescingKeys(): number {
    return this.inFlight.size;
  }

  /**
   * `link` ties the call to its run and caller; a batch links all its calls before admitting
   * them, so a call cancelled before it was admitted fails here without any work.
   */
  async complete(
    request: CompletionRequest,
    caller?: CallerScope,
    link: LinkedToken = this.deps.runs.link(request.runId, caller),
  ): Promise<CompletionResult> {
    const storageDown = this.deps.storage.failure && this.deps.storage.retry();
    if (storageDown) {
      link.dispose();
      throw storageUnavailable(storageDown);
    }
    const started = performance.now();
    const callId = randomUUID();
    const { ledger, cache, budgets } = this.deps;
    const row = { callId, runId: request.runId, tag: request.tag, model: request.model };
    let provider: string = request.model.slice(0, request.model.indexOf(':'));
    let cachedHit = false;
    let paidCallReserved = false;
    let resolved: ResolvedModel | undefined;
    const attempts: AttemptCount = { sent: 0, answered: 0 };
    try {
      if (link.token.aborted) throw cancelled(`the call to "${request.model}"`);
      resolved = this.deps.registry.resolve(request.model);
      const model = resolved;
      provider = resolved.ref.provider;
      const key = request.cache === 'off' ? undefined : cacheKeyOf(resolved, request);
      let output: ProviderCallOutput | undefined;
      if (key !== undefined && request.cache === 'use') {
        output = cache.get(key);
        const shared = output ? undefined : this.inFlight.get(key);
        if (shared && !shared.abandoned) {
          cache.noteCoalesced();
          output = await shared.join(link.token);
        }
        cachedHit = output !== undefined;
      }
      if (!output) {
        if (request.runId !== undefined) {
          budgets.reserve(request.runId);
          paidCallReserved = true;
        }
        // The flight writes the cache itself, so followers still get an entry if the leader leaves.
        const flight = new Flight(async (token) => {
          const fresh = await this.callWithRetries(model, request, callId, token, attempts);
          if (key !== undefined) cache.put(key, request.model, fresh);
          return fresh;
        });
        if (key !== undefined) this.share(key, flight);
        output = await flight.join(link.token);
      }
      const price = this.deps.prices.priceOf(resolved.ref, request.model);
      const charge = unansweredCharge(price, request, attempts);
      const answeredCost = cachedHit ? 0 : costOf(price, output.usage);
      const costUsd = answeredCost === null || charge.costUsd === null ? null : answeredCost + charge.costUsd;
      const latencyMs = performance.now() - started;
      ledger.record({
        ...row,
        provider,
        cached: cachedHit,
        promptTokens: output.usage.promptTokens,
        completionTokens: output.usage.completionTokens,
        latencyMs,
        costUsd,
        errorKind: undefined,
        unansweredAttempts: charge.attempts,
      });
      if (paidCallReserved && request.runId !== undefined) {
        budgets.settle(request.runId, { paid: true, costUsd });
        paidCallReserved = false;
      }
      return {
        callId,
        model: request.model,
        text: output.text,
        usage: output.usage,
        finishReason: output.finishReason,
        cached: cachedHit,
        latencyMs,
        costUsd,
      };
    } catch (thrown) {
      const error =
        thrown instanceof LlmCallError
          ? thrown
          : classifyProviderError(thrown, { provider, model: request.model });
      // An attempt still in flight when its caller left counts as unanswered: it was sent.
      const charge = resolved
        ? unansweredCharge(this.deps.prices.priceOf(resolved.ref, request.model), request, attempts)
        : NO_CHARGE;
      ledger.record({
        ...row,
        provider,
        cached: false,
        promptTokens: 0,
        completionTokens: 0,
        latencyMs: performance.now() - started,
        costUsd: charge.costUsd,
        errorKind: error.kind,
        unansweredAttempts: charge.attempts,
      });
      if (paidCallReserved && request.runId !== undefined) {
        budgets.settle(
          request.runId,
          charge.attempts > 0 ? { paid: true, costUsd: charge.costUsd } : { paid: false },
        );
      }
      throw error;
    } finally {
      link.dispose();
    }
  }

  private share(key: string, flight: Flight<ProviderCallOutput>): void {
    this.inFlight.set(key, flight);
    const forget = () => {
      if (this.inFlight.get(key) === flight) this.inFlight.delete(key);
    };
    flight.promise.then(forget, forget);
  }

  private async callWithRetries(
    resolved: ResolvedModel,
    request: CompletionRequest,
    callId: string,
    cancel: CancelToken,
    attempts: AttemptCount,
  ): Promise<ProviderCallOutput> {
    const { retries } = this.deps.config;
    let timeouts = 0;
    const timeoutMs = request.timeoutMs ?? this.deps.config.timeoutMs;
    const tokens = resolved.limiter.hasTokenLimit ? estimatedTokens(request) : 0;
    const where = { provider: resolved.ref.provider, model: request.model };
    let rng: (() => number) | undefined;
    for (let attempt = 1; ; attempt += 1) {
      const slot = await resolved.limiter.acquire(tokens, cancel);
      const attemptController = new AbortController();
      const unsubscribe = cancel.onAbort(() => attemptController.abort());
      let timedOut = false;
      const timer = setTimeout(() => {
        timedOut = true;
        attemptController.abort(new AttemptTimeout(timeoutMs));
      }, timeoutMs);
      try {
        attempts.sent += 1;
        const output = await resolved.provider.complete({
          model: resolved.ref.model,
          messages: request.messages,
          temperature: request.temperature,
          topP: request.topP,
          maxTokens: request.maxTokens,
          stop: request.stop,
          seed: request.seed,
          sampleIndex: request.sampleIndex,
          signal: attemptController.signal,
        });
        attempts.answered += 1;
        slot.release('ok', output.usage.promptTokens + output.usage.completionTokens);
        return output;
      } catch (thrown) {
        const error = cancel.aborted
          ? cancelled(`${where.provider} call to "${where.model}"`)
          : timedOut
            ? new LlmCallError({
                ...where,
                kind: 'timeout',
                retryable: true,
                message: `${where.provider} model "${where.model}": no response within ${timeoutMs} ms`,
              })
            : classifyProviderError(thrown, where);
        // Only a request that timed out or was aborted may have been billed without an answer.
        if (!timedOut && error.kind !== 'cancelled') attempts.answered += 1;
        slot.release(error.kind === 'rate-limit' ? 'rate-limited' : 'failed');
        if (error.kind === 'timeout') timeouts += 1;
        if (!error.retryable || attempt >= retries.maxAttempts || timeouts > retries.timeoutRetries) {
          throw attempt > 1 ? withAttempts(error, attempt) : error;
        }
        rng ??= createRng(seedFrom('retry', callId));
        await sleep(retryDelayMs(attempt, error, retries, rng), cancel);
      } finally {
        clearTimeout(timer);
        unsubscribe();
      }
    }
  }
}

function withAttempts(error: LlmCallError, attempts: number): LlmCallError {
  return new LlmCallError({
    kind: error.kind,
    status: error.status,
    provider: error.provider,
    model: error.model,
    retryable: false,
    message: `${error.message} (gave up after ${attempts} attempts)`,
  });
}
