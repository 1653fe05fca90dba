export {
  type AppRouter,
  createAppRouter,
  type RouterInputs,
  type RouterOutputs,
  SERVICE_NAMES,
  type ServiceName,
  type ServiceRouters,
  type SingleServiceRouter,
} from './app-router.js';
export {
  type ComposedPlatform,
  type ComposeOptions,
  composePlatform,
  type PlatformMode,
  type PlatformServices,
  type WholePlatform,
} from './compose.js';
export {
  importLimitOf,
  loadPlatformConfig,
  type PlatformConfig,
  PlatformConfigSchema,
  publicHostsOf,
  requestBodyLimitFor,
} from './config.js';
export { DATABASE_FILES, databaseFile, resolveDataDir } from './data-dir.js';
export { SERVICE_URL_ENV, type ServiceUrls } from './service-urls.js';
