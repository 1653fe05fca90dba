import type { LlmError } from '@metaspo/schemas';
import { DomainError, domainCodeOf, redactSecrets } from '@metaspo/service-kit';

/**
 * An error from another service becomes a DomainError with the code it had there (so a
 * missing task stays NOT_FOUND and a budget stop stays BUDGET_EXCEEDED through this router),
 * or UPSTREAM when it had none. Provider text is redacted before it can travel further.
 */
function asDomainError(error: unknown, what: string): DomainError {
  if (error instanceof DomainError) return error;
  const message = redactSecrets(error instanceof Error ? error.message : String(error));
  const code = domainCodeOf(error);
  return code
    ? new DomainError(code, message, { cause: error })
    : new DomainError('UPSTREAM', `${what} failed: ${message}`, { cause: error });
}

export async function callUpstream<T>(what: string, call: () => Promise<T>): Promise<T> {
  try {
    return await call();
  } catch (error) {
    throw asDomainError(error, what);
  }
}

/**
 * A budget stop, a cancellation or an error no retry can fix (the model is not configured, the
 * key is refused, the model does not exist) ends the whole evaluation: a partial score would be
 * wrong, and the optimizer must be able to stop and later resume from its store and the cache.
 */
export function stopErrorOf(error: LlmError): DomainError | null {
  if (error.kind === 'budget-exceeded') {
    return new DomainError('BUDGET_EXCEEDED', `evaluation stopped: ${redactSecrets(error.message)}`);
  }
  if (error.kind === 'cancelled') {
    return new DomainError('CANCELLED', `evaluation cancelled: ${redactSecrets(error.message)}`);
  }
  // No retry can help these: the model cannot be called as configured, so no item can succeed.
  if (error.kind === 'config') {
    return new DomainError('INVALID_INPUT', `evaluation stopped: ${redactSecrets(error.message)}`);
  }
  if (error.kind === 'auth' || error.kind === 'not-found') {
    return new DomainError('UPSTREAM', `evaluation stopped (${error.kind}): ${redactSecrets(error.message)}`);
  }
  return null;
}

export function itemErrorOf(error: LlmError): string {
  return `${error.kind}: ${redactSecrets(error.message)}`;
}
