export {
  type BenchGatewayOptions,
  type GatewayBenchResult,
  runGatewayBench,
} from './gateway.js';
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
export { referenceBenchConfig } from './reference-config.js';
