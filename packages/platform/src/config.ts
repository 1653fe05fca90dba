import { GatewayConfigSchema } from '@metaspo/llm-gateway';
import { ConfigError, DEFAULT_BODY_LIMIT_BYTES, loadConfig } from '@metaspo/service-kit';
import { z } from 'zod';

/** Where each built-in provider reads its key; a named endpoint names its own with `apiKeyEnv`. */
const PROVIDER_KEY_ENV: Record<string, string> = {
  openai: 'OPENAI_API_KEY',
  anthropic: 'ANTHROPIC_API_KEY',
  google: 'GOOGLE_GENERATIVE_AI_API_KEY',
};
const INLINE_KEY = /^api[_-]?key$/i;

function keyAdvice(path: ReadonlyArray<string>): string {
  const [section, group, name] = path;
  if (section === 'llm' && group === 'providers' && name && PROVIDER_KEY_ENV[name])
    return `set ${PROVIDER_KEY_ENV[name]} in the environment instead`;
  if (section === 'llm' && group === 'endpoints' && name)
    return `put the key in an environment variable and name it here with apiKeyEnv (e.g. apiKeyEnv: ${name.toUpperCase().replace(/[^A-Z0-9]+/g, '_')}_API_KEY)`;
  return 'put the key in an environment variable (OPENAI_API_KEY, ANTHROPIC_API_KEY, or the one an endpoint names with apiKeyEnv)';
}

function hasCredentials(value: unknown): boolean {
  if (typeof value !== 'string' || !URL.canParse(value)) return false;
  const url = new URL(value);
  return url.username !== '' || url.password !== '';
}

/**
 * Keys never live in the config file (it gets shared, committed, pasted into issues). The
 * gateway's schema would drop an unknown `apiKey` silently and the call would then fail for a
 * missing key, so the raw document is searched before it is validated.
 */
/** `baseUrl`, a replica's `url`, or a plain URL item of a `replicas` list. */
function isUrlField(key: string, parentPath: string[]): boolean {
  return key === 'baseUrl' || key === 'url' || parentPath.at(-1) === 'replicas';
}

function refuseInlineSecrets(value: unknown, path: string[], ctx: z.RefinementCtx): void {
  if (typeof value !== 'object' || value === null) return;
  for (const [key, child] of Object.entries(value)) {
    const childPath = [...path, key];
    if (INLINE_KEY.test(key)) {
      ctx.addIssue({
        code: 'custom',
        path: childPath,
        message: `API keys are not read from the config file; ${keyAdvice(childPath)}`,
      });
    } else if (isUrlField(key, path) && hasCredentials(child)) {
      ctx.addIssue({
        code: 'custom',
        path: childPath,
        message:
          'a base URL must not hold credentials (user:password@); give the key through an environment variable',
      });
    } else refuseInlineSecrets(child, childPath, ctx);
  }
}

const PlatformConfigShape = z
  .object({
    llm: GatewayConfigSchema.optional(),
    evaluator: z.object({ concurrency: z.number().int().positive().optional() }).strict().optional(),
    datasets: z
      .object({
        /** The largest file `datasets import` takes, in-process and through the server alike. */
        maxFileBytes: z.number().int().positive(),
      })
      .partial()
      .strict()
      .optional(),
    server: z
      .object({
        /** Host names (besides loopback names and IP addresses) the server answers to. */
        publicHosts: z.array(z.string().regex(/^[A-Za-z0-9.-]+$/, 'a host name such as metaspo.example.org')),
      })
      .partial()
      .strict()
      .optional(),
  })
  .strict();

/** The YAML config file (`--config` or METASPO_CONFIG): provider endpoints, limits, prices. */
export const PlatformConfigSchema = z
  .unknown()
  .superRefine((value, ctx) => refuseInlineSecrets(value, [], ctx))
  .pipe(PlatformConfigShape);
export type PlatformConfig = z.infer<typeof PlatformConfigSchema>;

export function loadPlatformConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): PlatformConfig {
  refuseCredentialedBaseUrls(env);
  return loadConfig(PlatformConfigSchema, { file: file ?? env.METASPO_CONFIG, env });
}

/**
 * The providers' base URLs from the environment (OPENAI_BASE_URL, ANTHROPIC_BASE_URL,
 * GOOGLE_GENERATIVE_AI_BASE_URL, OPENAI_COMPATIBLE_BASE_URL, OLLAMA_BASE_URL and any other
 * `*_BASE_URL`) follow the config's rule: a URL with `user:password@` would put a secret in
 * every log line and error that names the endpoint. The message names the variable, never
 * the value.
 */
function refuseCredentialedBaseUrls(env: NodeJS.ProcessEnv): void {
  const offending = Object.keys(env)
    .filter((name) => name.endsWith('_BASE_URL') && hasCredentials(env[name]))
    .sort();
  if (offending.length === 0) return;
  const advice = offending
    .map((name) => `${name} (give the key through ${name.replace(/_BASE_URL$/, '_API_KEY')} instead)`)
    .join(', ');
  throw new ConfigError(`environment: a base URL must not hold credentials (user:password@): ${advice}`);
}

/** `server.publicHosts` from the config plus METASPO_PUBLIC_HOSTS (comma-separated). */
export function publicHostsOf(config: PlatformConfig | undefined, env: NodeJS.ProcessEnv): string[] {
  const fromEnv = (env.METASPO_PUBLIC_HOSTS ?? '')
    .split(',')
    .map((name) => name.trim())
    .filter(Boolean);
  return [...(config?.server?.publicHosts ?? []), ...fromEnv];
}

const DEFAULT_IMPORT_MAX_BYTES = 64 * 1024 * 1024;

export function importLimitOf(config: PlatformConfig | undefined): number {
  return config?.datasets?.maxFileBytes ?? DEFAULT_IMPORT_MAX_BYTES;
}

/**
 * An imported file travels inside a JSON request as a string, and escaping can double it; the
 * body limit leaves room for that, so the import's own limit (and its message) is the one a
 * user meets through the server too.
 */
export function requestBodyLimitFor(importLimit: number): number {
  return Math.max(DEFAULT_BODY_LIMIT_BYTES, 2 * importLimit + 1024 * 1024);
}
