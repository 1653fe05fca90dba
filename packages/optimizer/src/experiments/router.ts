import {
  ExperimentConfigInputSchema,
  ExperimentIdInputSchema,
  ExperimentListInputSchema,
  ExperimentResumeInputSchema,
  RunCreateInputSchema,
} from '@metaspo/schemas';
import { publicProcedure, router } from '@metaspo/service-kit';
import { z } from 'zod';
import { reportFiles } from './report-files.js';
import type { ExperimentService } from './service.js';

const ExportInputSchema = ExperimentIdInputSchema.extend({ format: z.enum(['md', 'csv', 'json']) });

/**
 * `optimizer.experiments.*`: a thin adapter over the experiment service. `config` is YAML text
 * (errors name field and line) or an object; `plan` calls no model; `run` is `create` + `start`.
 */
export function createExperimentsRouter(service: ExperimentService) {
  return router({
    validate: publicProcedure
      .input(ExperimentConfigInputSchema)
      .query(({ input }) => service.validate(input.config)),
    plan: publicProcedure.input(ExperimentConfigInputSchema).query(({ input }) => service.plan(input.config)),
    planRun: publicProcedure.input(RunCreateInputSchema).query(({ input }) => service.planRun(input.config)),
    create: publicProcedure
      .input(ExperimentConfigInputSchema)
      .mutation(({ input }) => service.create(input.config)),
    start: publicProcedure.input(ExperimentIdInputSchema).mutation(({ input }) => service.start(input.id)),
    run: publicProcedure.input(ExperimentConfigInputSchema).mutation(async ({ input }) => {
      const created = await service.create(input.config);
      return service.start(created.id);
    }),
    get: publicProcedure.input(ExperimentIdInputSchema).query(({ input }) => service.get(input.id)),
    list: publicProcedure.input(ExperimentListInputSchema).query(({ input }) => service.list(input.limit)),
    cancel: publicProcedure.input(ExperimentIdInputSchema).mutation(({ input }) => service.cancel(input.id)),
    resume: publicProcedure
      .input(ExperimentResumeInputSchema)
      .mutation(({ input }) => service.resume(input.id, input.budget)),
    report: publicProcedure.input(ExperimentIdInputSchema).query(({ input }) => service.report(input.id)),
    /** The report's files in one format (md with its SVG figures), as text, for a download. */
    exportReport: publicProcedure
      .input(ExportInputSchema)
      .query(async ({ input }) => reportFiles(await service.report(input.id), input.format)),
    /** The current status and progress, then live events until the experiment stops. */
    events: publicProcedure.input(ExperimentIdInputSchema).subscription(async function* ({ input, signal }) {
      yield* service.events(input.id, signal);
    }),
  });
}
