import type { Rng } from '@metaspo/service-kit';
import type { RetrySettings } from '../config.js';
import { cancelled, type LlmCallError } from '../errors.js';
import type { CancelToken } from './cancel-token.js';

/**
 * Delay before retry number `attempt` (1 = first retry): jitter over the upper half of an
 * exponential ceiling, but never less than what the server asked for in `retry-after`; both
 * capped by `maxDelayMs`.
 */
export function retryDelayMs(
  attempt: number,
  error: LlmCallError,
  settings: RetrySettings,
  rng: Rng,
): number {
  const ceiling = Math.min(settings.maxDelayMs, settings.baseDelayMs * 2 ** (attempt - 1));
  const jittered = ceiling / 2 + (rng() * ceiling) / 2;
  const asked = error.retryAfterMs ?? 0;
  return Math.min(settings.maxDelayMs, Math.max(jittered, asked));
}

export function sleep(ms: number, token: CancelToken): Promise<void> {
  if (token.aborted) return Promise.reject(cancelled('the call'));
  if (ms <= 0) return Promise.resolve();
  return new Promise((resolve, reject) => {
    const unsubscribe = token.onAbort(() => {
      clearTimeout(timer);
      reject(cancelled('the call'));
    });
    const timer = setTimeout(() => {
      unsubscribe();
      resolve();
    }, ms);
  });
}
