import {
  EventsInputSchema,
  MetaTestGetInputSchema,
  MetaTestListInputSchema,
  MetaTestResumeInputSchema,
  MetaTestStartInputSchema,
  NodesListInputSchema,
  RunCreateInputSchema,
  RunIdInputSchema,
  RunListInputSchema,
  RunResumeInputSchema,
  ValidateConfigInputSchema,
} from '@metaspo/schemas';
import { publicProcedure, router } from '@metaspo/service-kit';
import { tracked } from '@trpc/server';
import { createExperimentsRouter } from './experiments/router.js';
import type { OptimizerService } from './service.js';

/** The `optimizer` router: a thin adapter over the service (procedure names are a contract). */
export function createOptimizerRouter(service: OptimizerService) {
  return router({
    runs: router({
      // Both run the preflight of validateConfig and refuse with its issues before acting.
      create: publicProcedure
        .input(RunCreateInputSchema)
        .mutation(({ input }) => service.createCheckedRun(input)),
      start: publicProcedure
        .input(RunIdInputSchema)
        .mutation(({ input }) => service.startCheckedRun(input.id)),
      get: publicProcedure.input(RunIdInputSchema).query(({ input }) => service.getRun(input.id)),
      list: publicProcedure.input(RunListInputSchema).query(({ input }) => service.listRuns(input)),
      cancel: publicProcedure.input(RunIdInputSchema).mutation(({ input }) => service.cancelRun(input.id)),
      resume: publicProcedure
        .input(RunResumeInputSchema)
        .mutation(({ input }) => service.resumeCheckedRun(input.id, input.budget)),
      export: publicProcedure.input(RunIdInputSchema).query(({ input }) => service.exportRun(input.id)),
      races: publicProcedure.input(RunIdInputSchema).query(({ input }) => service.runRaces(input.id)),
      validateConfig: publicProcedure
        .input(ValidateConfigInputSchema)
        .query(({ input }) =>
          service.preflightRun(input.yaml === undefined ? { config: input.config } : { yaml: input.yaml }),
        ),
      delete: publicProcedure.input(RunIdInputSchema).mutation(({ input }) => service.deleteRun(input.id)),
    }),
    nodes: router({
      list: publicProcedure.input(NodesListInputSchema).query(({ input }) => service.listNodes(input.runId)),
    }),
    events: publicProcedure.input(EventsInputSchema).subscription(async function* ({ input, signal }) {
      // An SSE reconnect sends the last tracked id; it wins over the afterSeq of the first request.
      const fromLastId = input.lastEventId ? Number(input.lastEventId) : Number.NaN;
      const afterSeq = Number.isFinite(fromLastId) ? fromLastId : (input.afterSeq ?? -1);
      for await (const event of service.events(input.runId, afterSeq, signal)) {
        yield tracked(String(event.seq), event);
      }
    }),
    metaTests: router({
      start: publicProcedure
        .input(MetaTestStartInputSchema)
        .mutation(({ input }) => service.startCheckedMetaTest(input)),
      validate: publicProcedure
        .input(MetaTestStartInputSchema)
        .query(({ input }) => service.validateMetaTest(input)),
      cancel: publicProcedure
        .input(MetaTestGetInputSchema)
        .mutation(({ input }) => service.cancelMetaTest(input.id)),
      delete: publicProcedure
        .input(MetaTestGetInputSchema)
        .mutation(({ input }) => service.deleteMetaTest(input.id)),
      resume: publicProcedure
        .input(MetaTestResumeInputSchema)
        .mutation(({ input }) => service.resumeMetaTest(input.id, input.budget)),
      get: publicProcedure.input(MetaTestGetInputSchema).query(({ input }) => service.getMetaTest(input.id)),
      list: publicProcedure
        .input(MetaTestListInputSchema)
        .query(({ input }) => service.listMetaTests(input.runId)),
    }),
    experiments: createExperimentsRouter(service.experiments),
  });
}

export type OptimizerRouter = ReturnType<typeof createOptimizerRouter>;
