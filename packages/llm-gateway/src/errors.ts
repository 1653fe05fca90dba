import { type LlmError, type LlmErrorKind, ProviderError } from '@metaspo/schemas';
import { DomainError, type DomainErrorCode, redactSecrets } from '@metaspo/service-kit';
import { APICallError } from 'ai';

/**
 * A failed model call, classified. Everything that leaves the gateway is built from this, and
 * its message is redacted at construction so no later path can leak a key.
 */
export class LlmCallError extends Error {
  readonly kind: LlmErrorKind;
  readonly status: number | undefined;
  readonly provider: string | undefined;
  readonly model: string | undefined;
  readonly retryable: boolean;
  /** From a `retry-after`/`retry-after-ms` header, when the server sent one. */
  readonly retryAfterMs: number | undefined;
  /** What `complete` throws for it, when the kind alone does not say (storage: UNAVAILABLE). */
  readonly domainCode: DomainErrorCode | undefined;

  constructor(init: {
    kind: LlmErrorKind;
    message: string;
    status?: number | undefined;
    provider?: string | undefined;
    model?: string | undefined;
    retryable?: boolean;
    retryAfterMs?: number | undefined;
    domainCode?: DomainErrorCode | undefined;
  }) {
    super(redactSecrets(init.message));
    this.name = 'LlmCallError';
    this.kind = init.kind;
    this.status = init.status;
    this.provider = init.provider;
    this.model = init.model;
    this.retryable = init.retryable ?? false;
    this.retryAfterMs = init.retryAfterMs;
    this.domainCode = init.domainCode;
  }

  toLlmError(): LlmError {
    return {
      kind: this.kind,
      message: this.message,
      ...(this.status === undefined ? {} : { status: this.status }),
      ...(this.provider === undefined ? {} : { provider: this.provider }),
      ...(this.model === undefined ? {} : { model: this.model }),
    };
  }
}

export function kindOfStatus(status: number): { kind: LlmErrorKind; retryable: boolean } {
  if (status === 401 || status === 403) return { kind: 'auth', retryable: false };
  if (status === 404) return { kind: 'not-found', retryable: false };
  if (status === 408) return { kind: 'timeout', retryable: true };
  if (status === 409) return { kind: 'server', retryable: true };
  if (status === 429) return { kind: 'rate-limit', retryable: true };
  if (status >= 500) return { kind: 'server', retryable: true };
  if (status >= 400) return { kind: 'bad-request', retryable: false };
  return { kind: 'unknown', retryable: false };
}

/** `retry-after-ms`, else `retry-after` as seconds or as an HTTP date. */
export function parseRetryAfter(
  headers: Record<string, string> | undefined,
  now: number = Date.now(),
): number | undefined {
  if (!headers) return undefined;
  const lower = Object.fromEntries(Object.entries(headers).map(([k, v]) => [k.toLowerCase(), v]));
  const ms = Number(lower['retry-after-ms']);
  if (lower['retry-after-ms'] !== undefined && Number.isFinite(ms) && ms >= 0) return ms;
  const value = lower['retry-after'];
  if (value === undefined || value.trim() === '') return undefined;
  const seconds = Number(value);
  if (Number.isFinite(seconds)) return Math.max(0, seconds * 1000);
  const date = Date.parse(value);
  return Number.isNaN(date) ? undefined : Math.max(0, date - now);
}

const NETWORK_CODES = new Set(['ECONNREFUSED', 'ECONNRESET', 'EPIPE', 'ETIMEDOUT', 'ENOTFOUND', 'EAI_AGAIN']);

function networkCodeOf(error: unknown): string | undefined {
  for (let e: unknown = error, depth = 0; e && depth < 5; depth += 1) {
    const code = (e as { code?: unknown }).code;
    if (typeof code === 'string' && (NETWORK_CODES.has(code) || code.startsWith('UND_ERR'))) return code;
    e = (e as { cause?: unknown }).cause;
  }
  return undefined;
}

/** Classifies whatever a provider threw; `where` names provider and model for the message. */
export function classifyProviderError(
  error: unknown,
  where: { provider: string; model: string },
): LlmCallError {
  if (error instanceof LlmCallError) return error;
  const base = { provider: where.provider, model: where.model };
  // A provider outside the gateway has classified it already; its message stands as written.
  if (error instanceof ProviderError) {
    return new LlmCallError({
      ...base,
      kind: error.kind,
      retryable: error.retryable,
      message: error.message,
    });
  }
  const label = `${where.provider} model "${where.model}"`;
  if (APICallError.isInstance(error) && error.statusCode !== undefined) {
    const { kind, retryable } = kindOfStatus(error.statusCode);
    return new LlmCallError({
      ...base,
      kind,
      retryable,
      status: error.statusCode,
      retryAfterMs: parseRetryAfter(error.responseHeaders),
      message: `${label}: HTTP ${error.statusCode}: ${error.message}`,
    });
  }
  const message = error instanceof Error ? error.message : String(error);
  const code = networkCodeOf(error);
  if (code || (APICallError.isInstance(error) && error.isRetryable)) {
    return new LlmCallError({
      ...base,
      kind: 'network',
      retryable: true,
      message: `${label}: network error${code ? ` ${code}` : ''}: ${message}`,
    });
  }
  const name = error instanceof Error ? error.name : '';
  if (/JSONParse|TypeValidation|InvalidResponseData|EmptyResponseBody|NoContentGenerated/.test(name)) {
    return new LlmCallError({
      ...base,
      kind: 'malformed-response',
      retryable: true,
      message: `${label}: malformed response: ${message}`,
    });
  }
  return new LlmCallError({ ...base, kind: 'unknown', message: `${label}: ${message}` });
}

const DOMAIN_CODE_BY_KIND: Partial<Record<LlmErrorKind, DomainErrorCode>> = {
  'budget-exceeded': 'BUDGET_EXCEEDED',
  cancelled: 'CANCELLED',
  config: 'INVALID_INPUT',
};

/** What `complete` throws: budget stops and cancellations keep their meaning, the rest is UPSTREAM. */
export function toDomainError(error: LlmCallError): DomainError {
  return new DomainError(error.domainCode ?? DOMAIN_CODE_BY_KIND[error.kind] ?? 'UPSTREAM', error.message, {
    details: error.toLlmError(),
  });
}

export function budgetExceeded(runId: string, reason: string): LlmCallError {
  return new LlmCallError({ kind: 'budget-exceeded', message: `run ${runId}: budget exceeded (${reason})` });
}

/**
 * The abort reason of an attempt the gateway timed out (not one it cancelled): a replica set
 * tells a server that took the call and never answered from a call nobody wants any more.
 */
export class AttemptTimeout extends Error {
  constructor(timeoutMs: number) {
    super(`no response within ${timeoutMs} ms`);
    this.name = 'AttemptTimeout';
  }
}

export function cancelled(what: string): LlmCallError {
  return new LlmCallError({ kind: 'cancelled', message: `${what} was cancelled` });
}

/** The gateway cannot write its ledger: no call is made that it could not count. */
export function storageUnavailable(failure: Error): LlmCallError {
  return new LlmCallError({
    kind: 'unknown',
    domainCode: 'UNAVAILABLE',
    message: `the gateway refuses calls until its ledger can be written again: ${failure.message}`,
  });
}
