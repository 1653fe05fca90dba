/**
 * Abort-signal helpers: what the services, the optimizer's runs and the providers each wrote for
 * themselves (a reason as an Error, a throw when aborted, a promise that gives up on abort, a
 * listener that also fires for a signal aborted before it was added).
 */

/** The signal's reason as an Error: a non-Error reason becomes a DOMException named AbortError. */
export function abortReason(signal: AbortSignal): Error {
  const reason: unknown = signal.reason;
  return reason instanceof Error ? reason : new DOMException('The operation was aborted', 'AbortError');
}

/** Throws `toError(signal)` (by default its reason) when the signal has aborted. */
export function throwIfAborted(
  signal: AbortSignal | undefined,
  toError: (signal: AbortSignal) => Error = abortReason,
): void {
  if (signal?.aborted) throw toError(signal);
}

/**
 * Calls `listener` once when the signal aborts, at once if it already has (an
 * `addEventListener` alone misses that); returns what removes the listener.
 */
export function onAbort(signal: AbortSignal | undefined, listener: () => void): () => void {
  if (!signal) return () => {};
  if (signal.aborted) {
    listener();
    return () => {};
  }
  signal.addEventListener('abort', listener, { once: true });
  return () => signal.removeEventListener('abort', listener);
}

/**
 * Settles as `work` does, or rejects with `toError(signal)` (by default its reason) as soon as
 * the signal aborts; `work` itself is not stopped, only no longer waited for.
 */
export function untilAborted<T>(
  work: Promise<T>,
  signal: AbortSignal | undefined,
  toError: (signal: AbortSignal) => Error = abortReason,
): Promise<T> {
  if (!signal) return work;
  if (signal.aborted) return Promise.reject(toError(signal));
  return new Promise<T>((resolve, reject) => {
    const remove = onAbort(signal, () => reject(toError(signal)));
    work.then(resolve, reject).finally(remove);
  });
}

/** Resolves after `ms`, or at once when the signal aborts (a wait that a shutdown cuts short). */
export function sleepUnlessAborted(ms: number, signal: AbortSignal | undefined): Promise<void> {
  return new Promise((resolve) => {
    const remove = onAbort(signal, done);
    const timer = setTimeout(done, ms);
    function done() {
      clearTimeout(timer);
      remove();
      resolve();
    }
  });
}

/** A signal that aborts when any given one does (with its reason); undefined when none is given. */
export function linkSignals(first: AbortSignal, ...rest: Array<AbortSignal | undefined>): AbortSignal;
export function linkSignals(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined;
export function linkSignals(...signals: Array<AbortSignal | undefined>): AbortSignal | undefined {
  const present = signals.filter((signal): signal is AbortSignal => signal !== undefined);
  if (present.length <= 1) return present[0];
  return AbortSignal.any(present);
}
