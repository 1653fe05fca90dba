export { type AppRouter, createAppRouter, SERVICE_NAMES, type ServiceName } from './app-router.js';
export {
  type LatencySummary,
  type LiveBenchOptions,
  type LiveBenchResult,
  runLiveBench,
  summariseLatencies,
} from './bench-live.js';
export { type ComposedPlatform, type ComposeOptions, composePlatform, SERVICE_URL_ENV } from './compose.js';
export { loadPlatformConfig, type PlatformConfig, PlatformConfigSchema } from './config.js';
export { databaseFile, resolveDataDir } from './data-dir.js';
export { DEFAULT_ADMIN_DIR, type RunningServer, type StartServerOptions, startServer } from './server.js';
