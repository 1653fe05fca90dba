export { ACCURACY_MODEL, lengthPenalty, promptFeatures, promptLogit, sigmoid } from './accuracy.js';
export { type AnswerKey, createAnswerKey, createAnswerKeyInSlices } from './answer-key.js';
export {
  BEHAVIOURS,
  type Behaviour,
  behaviourById,
  detectBehaviours,
  effectFor,
  formatBehaviourTable,
} from './behaviours.js';
export { requestedReplyTag } from './meta-request.js';
export { DEFAULT_MALFORMED_RATE } from './optimizer-role.js';
export { EDIT_RATES, formatInstruction } from './prompt-edits.js';
export { type AnswerKeyHolder, type AnswerKeyLoader, AnswerKeys } from './provider/answer-keys.js';
export {
  createSimProvider,
  createSimProviderFactory,
  type SimProviderFactoryOptions,
} from './provider/sim-provider.js';
export { emptyBatchStats, type SimBatchOptions, type SimBatchStats } from './server/batch-jobs.js';
export { FAULT_KINDS, type FaultKind, isFaultKind } from './server/faults.js';
export {
  type SimServer,
  type SimServerOptions,
  type SimServerStats,
  startSimServer,
} from './server/sim-server.js';
export {
  createSimModel,
  type SimCompletionInput,
  type SimCompletionOutput,
  type SimModel,
  type SimModelOptions,
} from './sim-model.js';
export { SYNTHETIC_TASKS, type SyntheticTask, syntheticEntries } from './synthetic-tasks.js';
export { createTimeSlicer, DEFAULT_SLICE_MS, type TimeSlicer } from './time-slice.js';
export { DOMAIN_BASE_LOGITS, resolveVariant, SIM_VARIANTS, type SimVariant } from './variants.js';
