import {
  BudgetStatusSchema,
  CacheCheckInputSchema,
  CacheClearInputSchema,
  CompletionBatchRequestSchema,
  CompletionRequestSchema,
  ModelCheckInputSchema,
  PricesInputSchema,
  RunBudgetInputSchema,
  UsageQuerySchema,
} from '@metaspo/schemas';
import { publicProcedure, router, syncInput } from '@metaspo/service-kit';
import { z } from 'zod';
import type { LlmGatewayService } from './service.js';

/**
 * The `llm` router: a thin adapter; the signal tRPC hands a procedure cancels its calls.
 * Completion inputs are validated synchronously (`syncInput`): batches hold thousands of requests.
 */
export function createLlmRouter(service: LlmGatewayService) {
  return router({
    complete: publicProcedure
      .input(syncInput(CompletionRequestSchema))
      .mutation(({ input, signal }) => service.complete(input, { signal })),
    completeBatch: publicProcedure
      .input(syncInput(CompletionBatchRequestSchema))
      .mutation(async ({ input, signal }) => ({
        outcomes: await service.completeBatch(input.requests, { signal, execution: input.execution }),
      })),
    /** Provider batches not ended yet: their age and lines done (progress of batch execution). */
    batches: publicProcedure.query(() => ({ pending: service.pendingBatches() })),
    models: publicProcedure.query(() => service.models()),
    /** Provider status from a real check (local servers probed); names env variables, never keys. */
    checkProviders: publicProcedure.query(() => service.checkProviders()),
    prices: publicProcedure.input(PricesInputSchema).query(({ input }) => service.prices(input.models)),
    /** Side-effect free: whether each model reference would resolve and could be called. */
    checkModels: publicProcedure
      .input(ModelCheckInputSchema)
      .query(({ input }) => service.checkModels(input.refs)),
    usage: publicProcedure.input(UsageQuerySchema).query(({ input }) => service.usage(input.runId)),
    cache: router({
      stats: publicProcedure.query(() => service.cacheStats()),
      check: publicProcedure
        .input(syncInput(CacheCheckInputSchema))
        .query(({ input }) => service.checkCache(input.requests)),
      clear: publicProcedure
        .input(CacheClearInputSchema)
        .mutation(({ input }) => service.clearCache(input.model)),
    }),
    health: publicProcedure.query(() => service.health()),
    budgets: router({
      set: publicProcedure.input(RunBudgetInputSchema).mutation(({ input }) => service.setBudget(input)),
      get: publicProcedure
        .input(z.object({ runId: z.string().min(1) }))
        .output(BudgetStatusSchema)
        .query(({ input }) => service.getBudget(input.runId)),
    }),
    cancelRun: publicProcedure
      .input(z.object({ runId: z.string().min(1) }))
      .mutation(({ input }) => service.cancelRun(input.runId)),
  });
}

export type LlmRouter = ReturnType<typeof createLlmRouter>;
