/**
 * Secrets must never reach a log, an event, an error message or a database. Everything that
 * leaves a service as text can pass through `redactSecrets`: it masks the values of the known
 * key variables present in the environment and anything shaped like a key or a bearer token.
 */
export const SECRET_ENV_VARS = [
  'OPENAI_API_KEY',
  'ANTHROPIC_API_KEY',
  'GOOGLE_GENERATIVE_AI_API_KEY',
  'METASPO_API_TOKEN',
  'OPENROUTER_API_KEY',
  'TOGETHER_API_KEY',
  'GROQ_API_KEY',
] as const;

export const REDACTED = '[redacted]';

/** Each pattern with what replaces a match (the capture groups keep the non-secret part). */
const SECRET_PATTERNS: Array<[RegExp, string]> = [
  [/\bsk-[A-Za-z0-9_-]{8,}/g, REDACTED],
  [/\bAIza[0-9A-Za-z_-]{20,}/g, REDACTED],
  [/\b(Bearer|Basic)\s+[A-Za-z0-9._~+/=-]{6,}/gi, `$1 ${REDACTED}`],
  [
    /\b(api[_-]?key|x-api-key|x-goog-api-key|authorization|token|secret|password)(["']?\s*[:=]\s*["']?)([^\s"',}]{4,})/gi,
    `$1$2${REDACTED}`,
  ],
];

function secretValuesFromEnv(env: NodeJS.ProcessEnv): string[] {
  const names = new Set<string>(SECRET_ENV_VARS);
  for (const name of Object.keys(env)) if (/(_API_KEY|_TOKEN|_SECRET)$/.test(name)) names.add(name);
  return [...names]
    .map((name) => env[name])
    .filter((v): v is string => typeof v === 'string' && v.length >= 4);
}

export function redactSecrets(text: string, env: NodeJS.ProcessEnv = process.env): string {
  let out = text;
  for (const value of secretValuesFromEnv(env)) out = out.split(value).join(REDACTED);
  for (const [pattern, replacement] of SECRET_PATTERNS) out = out.replace(pattern, replacement);
  return out;
}

const SECRET_KEY_NAMES = /^(api[_-]?key|apikey|authorization|x-api-key|token|secret|password)$/i;

/** Deep copy of a value with secret-named fields and secret-shaped strings masked. */
export function redactValue<T>(value: T, env: NodeJS.ProcessEnv = process.env): T {
  const visit = (v: unknown, key?: string): unknown => {
    if (key && SECRET_KEY_NAMES.test(key) && v !== undefined && v !== null) return REDACTED;
    if (typeof v === 'string') return redactSecrets(v, env);
    if (Array.isArray(v)) return v.map((item) => visit(item));
    if (v instanceof Error) return redactSecrets(`${v.name}: ${v.message}`, env);
    if (v && typeof v === 'object') {
      return Object.fromEntries(
        Object.entries(v as Record<string, unknown>).map(([k, item]) => [k, visit(item, k)]),
      );
    }
    return v;
  };
  return visit(value) as T;
}
