import {
  EvaluateManyInputSchema,
  EvaluationIdInputSchema,
  EvaluationListInputSchema,
  EvaluationRequestSchema,
  ExtractInputSchema,
  OutcomesInputSchema,
  ScoreResponsesInputSchema,
  WrongExamplesInputSchema,
} from '@metaspo/schemas';
import { publicProcedure, router, syncInput } from '@metaspo/service-kit';
import type { EvaluatorService } from './service.js';

/** The `evaluator` router: a thin adapter; DomainErrors are mapped by `publicProcedure`. */
export function createEvaluatorRouter(service: EvaluatorService) {
  return router({
    evaluate: publicProcedure
      .input(EvaluationRequestSchema)
      .mutation(({ input, signal }) => service.evaluate(input, signal ? { signal } : {})),
    evaluateMany: publicProcedure
      .input(syncInput(EvaluateManyInputSchema))
      .mutation(({ input, signal }) => service.evaluateMany(input.requests, signal ? { signal } : {})),
    get: publicProcedure.input(EvaluationIdInputSchema).query(({ input }) => service.get(input.id)),
    list: publicProcedure
      .input(EvaluationListInputSchema.optional())
      .query(({ input }) => service.list(input ?? {})),
    wrongExamples: publicProcedure
      .input(WrongExamplesInputSchema)
      .query(({ input }) => service.wrongExamples(input)),
    outcomes: publicProcedure.input(OutcomesInputSchema).query(({ input }) => service.outcomes(input)),
    extract: publicProcedure.input(ExtractInputSchema).query(({ input }) => service.extract(input)),
    scoreResponses: publicProcedure
      .input(syncInput(ScoreResponsesInputSchema))
      .mutation(({ input }) => service.scoreResponses(input)),
  });
}

export type EvaluatorRouter = ReturnType<typeof createEvaluatorRouter>;
