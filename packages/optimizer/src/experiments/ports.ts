import type {
  Budget,
  DatasetsClient,
  EvaluatorClient,
  LlmClient,
  MetaTestRecord,
  MetaTestStartInput,
  RunConfigInput,
  RunRecord,
} from '@metaspo/schemas';

/**
 * What an experiment needs of the optimizer service: it creates, starts and resumes ordinary
 * runs and meta-tests through the same calls a user makes, so its cells are no different.
 */
export interface ExperimentRunPorts {
  createRun(input: { config: RunConfigInput; name?: string | undefined }): RunRecord;
  startRun(id: string): RunRecord;
  resumeRun(id: string, budget?: Budget): RunRecord;
  cancelRun(id: string): Promise<RunRecord>;
  getRun(id: string): RunRecord;
  waitForRun(id: string): Promise<RunRecord>;
  startMetaTest(input: MetaTestStartInput): Promise<MetaTestRecord>;
  resumeMetaTest(id: string): Promise<MetaTestRecord>;
  getMetaTest(id: string): MetaTestRecord;
  waitForMetaTest(id: string): Promise<MetaTestRecord>;
}

export interface ExperimentClients {
  llm: LlmClient;
  datasets: DatasetsClient;
  evaluator: EvaluatorClient;
}
