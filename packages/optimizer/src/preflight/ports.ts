import type {
  DatasetSummary,
  DatasetsClient,
  LlmClient,
  ModelCheckInput,
  ModelCheckResult,
  QueryProcedure,
} from '@metaspo/schemas';

/**
 * What preflight reads beyond the engine's ports. Optional, so a caller that wires hand-made
 * ports (tests) still composes; the real tRPC clients have both. Without them preflight says
 * what it could not check instead of passing it silently.
 */
interface ModelCheckPort {
  checkModels?: QueryProcedure<ModelCheckInput, ModelCheckResult>;
}

interface DatasetCountsPort {
  datasets?: { list: QueryProcedure<void, DatasetSummary[]> };
}

export type PreflightLlm = LlmClient & ModelCheckPort;
export type PreflightDatasets = DatasetsClient & DatasetCountsPort;

export interface PreflightPorts {
  llm: PreflightLlm;
  datasets: PreflightDatasets;
}
