import fs from 'node:fs';
import YAML from 'yaml';
import type { z } from 'zod';
import { formatFieldIssues, toFieldIssues } from './errors.js';

export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}

/** Parses YAML text, naming the file and line of a syntax error. */
export function parseYaml(text: string, source: string): unknown {
  const doc = YAML.parseDocument(text, { prettyErrors: true });
  const first = doc.errors[0];
  if (first) {
    const line = first.linePos?.[0]?.line;
    throw new ConfigError(
      `${source}${line ? `:${line}` : ''}: invalid YAML: ${first.message.split('\n')[0]}`,
    );
  }
  return doc.toJS() ?? {};
}

/** Validates `value` with `schema`; the error names the source and every bad field. */
export function validateConfig<TSchema extends z.ZodType>(
  schema: TSchema,
  value: unknown,
  source: string,
): z.output<TSchema> {
  const parsed = schema.safeParse(value);
  if (!parsed.success) {
    throw new ConfigError(`${source}: ${formatFieldIssues(toFieldIssues(parsed.error.issues))}`);
  }
  return parsed.data;
}

export function readYamlFile(file: string): unknown {
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    throw new ConfigError(
      `${file}: cannot read config file (${(error as NodeJS.ErrnoException).code ?? 'error'})`,
    );
  }
  return parseYaml(text, file);
}

function isPlainObject(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

function deepMerge(base: unknown, override: unknown): unknown {
  if (!isPlainObject(base) || !isPlainObject(override)) return override === undefined ? base : override;
  const out: Record<string, unknown> = { ...base };
  for (const [k, v] of Object.entries(override)) out[k] = deepMerge(base[k], v);
  return out;
}

/**
 * Loads configuration: values from the optional YAML file, overridden by values taken from
 * the environment (`fromEnv` maps env vars into the config's shape), validated with zod.
 */
export function loadConfig<TSchema extends z.ZodType>(
  schema: TSchema,
  options: {
    file?: string | undefined;
    env?: NodeJS.ProcessEnv;
    fromEnv?: (env: NodeJS.ProcessEnv) => unknown;
  } = {},
): z.output<TSchema> {
  const env = options.env ?? process.env;
  const fileValues = options.file ? readYamlFile(options.file) : {};
  const envValues = options.fromEnv?.(env) ?? {};
  const source = options.file
    ? `${options.file} (with environment overrides)`
    : 'configuration from the environment';
  return validateConfig(schema, deepMerge(fileValues, envValues), source);
}
