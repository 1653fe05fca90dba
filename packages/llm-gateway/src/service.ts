import {
  type BudgetStatus,
  type CacheCheckResult,
  type CacheStats,
  type CancelRunResult,
  type CompletionOutcome,
  type CompletionRequest,
  type CompletionResult,
  type ExecutionMode,
  type GatewayHealth,
  type ModelCheckResult,
  type ModelsReport,
  type PricesResult,
  type ProviderChecks,
  type ProviderFactory,
  parseModelRef,
  type UsageReport,
} from '@metaspo/schemas';
import { createLogger, type Logger, openDatabase } from '@metaspo/service-kit';
import { promptTokenEstimate } from './attempt-cost.js';
import type { BatchClient } from './batch/batch-client.js';
import { batchClientOf } from './batch/batch-endpoints.js';
import { BatchExecutor, type PendingBatch } from './batch/batch-executor.js';
import { createBatchStore } from './batch/batch-store.js';
import { CallPipeline, cacheKeyOf } from './call-pipeline.js';
import { type GatewayConfig, type GatewayConfigInput, GatewayConfigSchema } from './config.js';
import { migrationsFolder } from './db/migrations.js';
import { gatewaySchema } from './db/schema.js';
import { LlmCallError, toDomainError } from './errors.js';
import { createPriceTable } from './prices.js';
import { createPlainHttpFetch } from './providers/plain-http-fetch.js';
import { checkProviders } from './providers/provider-check.js';
import { createProviderRegistry } from './providers/registry.js';
import { ADMITTED_PER_TURN, runInAdmissionWindow } from './scheduler/batch-admission.js';
import type { EndpointLimiter } from './scheduler/endpoint-limiter.js';
import { CallerScope, RunSignals } from './scheduler/run-signals.js';
import { createBudgets } from './store/budgets.js';
import { createLedger } from './store/ledger.js';
import { createResponseCache } from './store/response-cache.js';
import { createWriteQueue } from './store/write-queue.js';

export interface LlmGatewayServiceOptions {
  /** SQLite file of the cache, ledger and budgets, or ':memory:'. */
  databaseFile: string;
  /** The `llm` section of the config file (validated here; defaults fill the rest). */
  config?: GatewayConfigInput | undefined;
  /** Where API keys and base URLs are read; defaults to process.env. */
  env?: NodeJS.ProcessEnv | undefined;
  /**
   * Providers beyond the gateway's own HTTP ones (openai, anthropic, google,
   * openai-compatible, ollama), by provider name: `sim` and `llamacpp` come from their packages.
   */
  providers?: readonly ProviderFactory[] | undefined;
  /** Where storage failures are reported; default: a pino logger on stderr. */
  logger?: Logger | undefined;
  /** Delays before retrying a failed background write (default 50, 250, 1,000 ms). */
  writeRetryDelaysMs?: readonly number[] | undefined;
}

export interface CallOptions {
  signal?: AbortSignal | undefined;
}

interface BatchCallOptions extends CallOptions {
  /** `batch`: the lines the cache does not answer go through the provider's batch API. */
  execution?: ExecutionMode | undefined;
}

export interface LlmGatewayService {
  readonly config: GatewayConfig;
  /** Throws DomainError: BUDGET_EXCEEDED, CANCELLED, INVALID_INPUT (configuration) or UPSTREAM. */
  complete(request: CompletionRequest, options?: CallOptions): Promise<CompletionResult>;
  /** Outcomes in request order; a failed item carries an LlmError with its kind. */
  completeBatch(requests: CompletionRequest[], options?: BatchCallOptions): Promise<CompletionOutcome[]>;
  /** Provider batches not ended yet (this process's and the resumed ones): age and lines done. */
  pendingBatches(): PendingBatch[];
  models(): ModelsReport;
  /** Each provider's status from a real check: local servers probed, llama.cpp files looked up. */
  checkProviders(): Promise<ProviderChecks>;
  /** Whether each reference is usable as configured now; calls and builds nothing. */
  checkModels(refs: string[]): ModelCheckResult;
  usage(runId?: string): UsageReport;
  cacheStats(): CacheStats;
  /** Which requests the cache would answer, and their prompt-token estimates; calls nothing. */
  checkCache(requests: CompletionRequest[]): CacheCheckResult;
  /** The price table's entry of each model reference (null: unknown price). */
  prices(models: string[]): PricesResult;
  clearCache(model?: string): { removed: number };
  health(): GatewayHealth;
  setBudget(input: {
    runId: string;
    maxUsd?: number | null | undefined;
    maxCalls?: number | null | undefined;
  }): BudgetStatus;
  getBudget(runId: string): BudgetStatus;
  cancelRun(runId: string): CancelRunResult;
  /** Writes queued cache and ledger rows now (they are otherwise written within a tick). */
  flush(): void;
  close(): Promise<void>;
}

export function createLlmGatewayService(options: LlmGatewayServiceOptions): LlmGatewayService {
  const config = GatewayConfigSchema.parse(options.config ?? {});
  const database = openDatabase(options.databaseFile, { migrationsFolder, schema: gatewaySchema });
  const logger = options.logger ?? createLogger({ name: 'llm-gateway' });
  const queue = createWriteQueue(database.sqlite, {
    label: options.databaseFile,
    ...(options.writeRetryDelaysMs === undefined ? {} : { retryDelaysMs: options.writeRetryDelaysMs }),
    onError: (error, failure) =>
      logger.error(
        { rows: failure.rows, attempt: failure.attempt, final: failure.final },
        failure.final
          ? `${error.message}; calls are refused until a write succeeds`
          : `${error.message}; retrying`,
      ),
  });
  const cache = createResponseCache(database.sqlite, queue);
  const ledger = createLedger(database.sqlite, queue);
  const budgets = createBudgets(database.sqlite, ledger);
  const runs = new RunSignals();
  const registry = createProviderRegistry({
    context: { config, env: options.env ?? process.env },
    factories: options.providers ?? [],
  });
  const prices = createPriceTable(config.prices);
  const pipeline = new CallPipeline({
    config,
    registry,
    cache,
    ledger,
    budgets,
    prices,
    runs,
    storage: queue,
  });
  // A few sockets: a batch is an upload, a create and polls, not per-line traffic.
  const batchFetch = createPlainHttpFetch(8);
  const batchClients = new Map<string, BatchClient | undefined>();
  const batches = new BatchExecutor({
    settings: config.batch,
    store: createBatchStore(database.sqlite),
    cache,
    ledger,
    budgets,
    prices,
    registry,
    clientFor(resolved) {
      const endpointId = resolved.provider.endpointId;
      if (!batchClients.has(endpointId)) {
        batchClients.set(endpointId, batchClientOf(resolved.ref, registry.context, batchFetch.fetch));
      }
      return batchClients.get(endpointId);
    },
    flush: () => queue.flush(),
    logger,
  });
  let closed = false;

  /**
   * Calls a batch keeps admitted: twice the concurrency of the endpoints it uses, so a freed
   * slot always finds a call waiting, and at least one turn's worth for cache hits. A model
   * that does not resolve adds nothing: its calls fail at once with the reason.
   */
  const admissionWindow = (requests: CompletionRequest[]): number => {
    const limiters = new Set<EndpointLimiter>();
    for (const model of new Set(requests.map((request) => request.model))) {
      try {
        limiters.add(registry.resolve(model).limiter);
      } catch {}
    }
    let slots = 0;
    for (const limiter of limiters) slots += limiter.maxConcurrency;
    return Math.max(ADMITTED_PER_TURN, 2 * slots);
  };

  const asLlmCallError = (error: unknown): LlmCallError =>
    error instanceof LlmCallError
      ? error
      : new LlmCallError({
          kind: 'unknown',
          message: error instanceof Error ? error.message : String(error),
        });

  return {
    config,
    async complete(request, callOptions) {
      const caller = new CallerScope(callOptions?.signal);
      try {
        return await pipeline.complete(request, caller);
      } catch (error) {
        throw toDomainError(asLlmCallError(error));
      } finally {
        caller.dispose();
      }
    },
    async completeBatch(requests, callOptions) {
      const caller = new CallerScope(callOptions?.signal);
      if (callOptions?.execution === 'batch') {
        try {
          return await batches.run(
            requests,
            (i) =>
              pipeline.complete(requests[i]!, caller).then(
                (result): CompletionOutcome => ({ ok: true, result }),
                (error: unknown): CompletionOutcome => ({
                  ok: false,
                  error: asLlmCallError(error).toLlmError(),
                }),
              ),
            callOptions.signal,
          );
        } finally {
          caller.dispose();
        }
      }
      try {
        // Every call is linked to its run and caller now, so cancelRun, the caller's abort and
        // close reach all of them, admitted or not; a call cancelled before its admission
        // fails at once when admitted.
        const links = requests.map((request) => runs.link(request.runId, caller));
        return await runInAdmissionWindow(requests.length, admissionWindow(requests), (i) =>
          pipeline.complete(requests[i]!, caller, links[i]).then(
            (result): CompletionOutcome => ({ ok: true, result }),
            (error: unknown): CompletionOutcome => ({ ok: false, error: asLlmCallError(error).toLlmError() }),
          ),
        );
      } finally {
        caller.dispose();
      }
    },
    pendingBatches: () => batches.pending(),
    models: () => ({ providers: registry.statuses() }),
    checkProviders: async () => ({
      providers: await checkProviders(registry.statuses(), registry),
    }),
    checkModels: (refs) => ({
      models: refs.map((ref) => {
        const { parsed, ...check } = registry.check(ref);
        return { ...check, priced: parsed ? prices.priceOf(parsed, ref) !== null : false };
      }),
    }),
    usage: (runId) => ledger.usage(runId),
    cacheStats: () => cache.stats(),
    checkCache: (requests) => ({
      cached: requests.map((request) =>
        cache.has(cacheKeyOf({ ref: parseModelRef(request.model) }, request)),
      ),
      promptTokens: requests.map(promptTokenEstimate),
    }),
    prices: (models) => ({
      prices: models.map((model) => {
        const ref = parseModelRef(model);
        const batchApi = batchClientOf(ref, registry.context, batchFetch.fetch) !== undefined;
        return {
          model,
          price: prices.priceOf(ref, model),
          batchPrice: prices.batchPriceOf(ref, model),
          batchApi,
        };
      }),
    }),
    clearCache: (model) => ({ removed: cache.clear(model) }),
    health() {
      let queued = 0;
      for (const limiter of registry.limiters()) queued += limiter.queued;
      return {
        ok: !closed && queue.failure === undefined,
        inFlightCalls: runs.active,
        queuedCalls: queued,
        pendingWrites: queue.pending,
        answerKeyLoaded: registry.factory('sim')?.loaded?.() ?? false,
      };
    },
    setBudget: (input) => budgets.set(input),
    getBudget: (runId) => budgets.get(runId),
    cancelRun: (runId) => ({ cancelledCalls: runs.cancelRun(runId) + batches.cancelRun(runId) }),
    flush: () => queue.flush(),
    async close() {
      if (closed) return;
      closed = true;
      await batches.close();
      batchFetch.close();
      runs.cancelAll();
      await registry.close();
      // Let the cancelled calls write their ledger rows before the file closes.
      await new Promise((resolve) => setImmediate(resolve));
      try {
        queue.close();
      } finally {
        database.close();
      }
    },
  };
}
