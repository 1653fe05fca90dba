import {
  AnswerKeyInputSchema,
  DatasetImportInputSchema,
  DomainGetInputSchema,
  ExamplesPageInputSchema,
  FetchInputSchema,
  SampleRequestSchema,
  TaskGetInputSchema,
  TaskListInputSchema,
  UnseenUserPromptsInputSchema,
} from '@metaspo/schemas';
import { publicProcedure, router } from '@metaspo/service-kit';
import type { DatasetsService } from './service.js';

/** The `datasets` router: a thin adapter; validation by the wire schemas, logic in the service. */
export function createDatasetsRouter(service: DatasetsService) {
  return router({
    tasks: router({
      list: publicProcedure.input(TaskListInputSchema).query(({ input }) => service.listTasks(input?.domain)),
      get: publicProcedure.input(TaskGetInputSchema).query(({ input }) => service.getTask(input.id)),
    }),
    domains: router({
      get: publicProcedure
        .input(DomainGetInputSchema)
        .query(({ input }) => service.getDomainSplit(input.domain)),
    }),
    datasets: router({
      list: publicProcedure.query(() => service.listDatasets()),
    }),
    examples: router({
      page: publicProcedure.input(ExamplesPageInputSchema).query(({ input }) => service.examplesPage(input)),
    }),
    sample: publicProcedure.input(SampleRequestSchema).query(({ input }) => service.sample(input)),
    answerKey: publicProcedure
      .input(AnswerKeyInputSchema)
      .query(({ input }) => service.answerKey(input.taskIds)),
    import: publicProcedure
      .input(DatasetImportInputSchema)
      .mutation(({ input }) => service.importUserData(input)),
    fetch: publicProcedure.input(FetchInputSchema).mutation(({ input }) => service.fetch(input)),
    fetchSources: publicProcedure.query(() => service.fetchSources()),
    protocol: router({
      systemPrompts: publicProcedure.query(() => service.protocol.systemPrompts()),
      unseenUserPrompts: publicProcedure
        .input(UnseenUserPromptsInputSchema)
        .query(({ input }) => service.protocol.unseenUserPrompts(input.taskId)),
      componentCorpus: publicProcedure.query(() => service.protocol.componentCorpus()),
    }),
  });
}

export type DatasetsRouter = ReturnType<typeof createDatasetsRouter>;
