export {
  bilevelIterations,
  type ExpectedCalls,
  expectedCalls,
  survivorsAfterInner,
  totalRequests,
} from './call-count.js';
export { parseRunConfig, validateRunConfigYaml } from './config.js';
export { parseExperimentConfig, validateExperimentConfig } from './experiments/config.js';
export { type ReportFormat, reportMarkdown, writeReportFiles } from './experiments/report-files.js';
export type { ExperimentService } from './experiments/service.js';
export {
  CHAIN_OF_THOUGHT_SYSTEM_PROMPT,
  FIXED_SYSTEM_PROMPTS,
  fixedSystemPrompts,
  SERVICE_SYSTEM_PROMPT,
} from './fixed-prompts.js';
export {
  apeProposalRequest,
  apeResampleRequest,
  BUILTIN_META_PROMPTS,
  loadMetaPromptSet,
  META_PROMPT_ROLES,
  META_PROMPTS_FORMAT,
  META_PROMPTS_VERSION,
  type MetaPromptRole,
  type MetaPromptSet,
  type MetaRequest,
  metaPromptsOf,
  systemAnalysisRequest,
  systemRewriteRequest,
  userAnalysisRequest,
  userRewriteRequest,
} from './meta-prompts.js';
export { SPRIG_DEFAULTS } from './methods/sprig-edits.js';
export { createOptimizerRouter, type OptimizerRouter } from './router.js';
export { createOptimizerService, type OptimizerService, type OptimizerServiceOptions } from './service.js';
export {
  DEFAULT_LEASE_TIMING,
  describeLeaseOwner,
  type HeldLease,
  type LeaseHandlers,
  type LeaseKind,
  type LeaseOwner,
  type LeaseRecord,
  Leases,
  type LeaseTiming,
  leaseTimingFrom,
  leaseTimingFromEnv,
} from './store/leases.js';
