export {
  abortReason,
  linkSignals,
  onAbort,
  sleepUnlessAborted,
  throwIfAborted,
  untilAborted,
} from './abort.js';
export { createServiceClient, type HttpTarget, type ServiceTarget } from './client.js';
export { ConfigError, loadConfig, parseYaml, readYamlFile, validateConfig } from './config.js';
export { type OpenedDatabase, openDatabase } from './database.js';
export {
  DomainError,
  type DomainErrorCode,
  domainCodeOf,
  type FieldIssue,
  formatFieldIssues,
  invalidInput,
  notFound,
  toFieldIssues,
} from './errors.js';
export { canonicalJson, sha256Hex, stableHash } from './hash.js';
export { MIN_TOKEN_LENGTH, SESSION_COOKIE } from './http-guards.js';
export { createLimiter, Limiter, mapLimited } from './limiter.js';
export { createLogger, type LogFormat, type Logger, type LoggerOptions } from './logger.js';
export { medianBy, passCountOf } from './median.js';
export { nearestRankPercentile } from './percentile.js';
export { createPythonRandom, type PythonRandom, pythonShuffled } from './python-random.js';
export { createRng, type Rng, randomInt, sampleWithoutReplacement, seedFrom, shuffled } from './random.js';
export { REDACTED, redactSecrets, redactValue, SECRET_ENV_VARS } from './redact.js';
export {
  DEFAULT_BODY_LIMIT_BYTES,
  DEFAULT_HOST,
  DEFAULT_MAX_BATCH_SIZE,
  DEFAULT_MAX_STREAMS_PER_CLIENT,
  isLoopbackHost,
  type RequestHandler,
  type ServedRouter,
  type ServeOptions,
  serve,
} from './serve.js';
export {
  createCallerFactory,
  createServiceContext,
  errorIdOf,
  listProcedures,
  mergeRouters,
  middleware,
  type ProcedureType,
  publicProcedure,
  router,
  type ServiceContext,
  syncInput,
} from './trpc.js';
