export {
  type LatencySummary,
  type LiveBenchOptions,
  type LiveBenchResult,
  runLiveBench,
  summariseLatencies,
} from './live.js';
export {
  formatOptimizerBench,
  type OptimizerBenchOptions,
  type OptimizerBenchResult,
  runOptimizerBench,
} from './optimizer.js';
