export { answerText } from './extraction/answer-text.js';
export { type ExtractedTask, type ExtractOptions, extractPrediction } from './extraction/extract.js';
export { analysedTail, MAX_ANALYSED_CHARS } from './extraction/limits.js';
export { normalizeAnswer, squadNormalize } from './extraction/normalize.js';
export { assertUserPrompt } from './messages.js';
export { accuracy, macroF1 } from './metrics/classification.js';
export { type PredictionScores, type PredictionToScore, scorePredictions } from './metrics/score.js';
export { contains, containsSubstring, exactMatch, type Normaliser, tokenF1 } from './metrics/squad.js';
export { createEvaluatorRouter, type EvaluatorRouter } from './router.js';
export {
  createEvaluatorService,
  DEFAULT_EVALUATOR_CONCURRENCY,
  type EvaluatorService,
  type EvaluatorServiceOptions,
} from './service.js';
