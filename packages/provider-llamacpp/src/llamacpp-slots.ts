import { abortReason } from '@metaspo/service-kit';

/**
 * A FIFO of sequence slots: at most `limit` holders at once, later callers wait in order.
 * A waiter whose signal aborts leaves the queue at once and rejects with the signal's reason,
 * so a cancelled call never occupies a sequence it did not start using.
 */
export interface SequenceSlots {
  acquire(signal: AbortSignal): Promise<() => void>;
  /** Rejects every waiter (used by close()); holders keep their slot until they release it. */
  rejectWaiting(reason: Error): void;
  readonly busy: number;
  readonly waiting: number;
}

interface Waiter {
  grant: () => void;
  fail: (reason: unknown) => void;
}

export function createSequenceSlots(limit: number): SequenceSlots {
  if (!Number.isInteger(limit) || limit < 1) {
    throw new Error(`llamacpp: parallelSequences must be a positive integer, got ${limit}`);
  }
  let busy = 0;
  const queue: Waiter[] = [];

  const releaseOnce = (): (() => void) => {
    let released = false;
    return () => {
      if (released) return;
      released = true;
      const next = queue.shift();
      if (next) next.grant();
      else busy -= 1;
    };
  };

  return {
    get busy() {
      return busy;
    },
    get waiting() {
      return queue.length;
    },
    acquire(signal) {
      if (signal.aborted) return Promise.reject(abortReason(signal));
      if (busy < limit) {
        busy += 1;
        return Promise.resolve(releaseOnce());
      }
      return new Promise((resolve, reject) => {
        const onAbort = () => {
          const index = queue.indexOf(waiter);
          if (index >= 0) queue.splice(index, 1);
          reject(abortReason(signal));
        };
        // The releasing holder hands its slot over directly, so `busy` stays unchanged.
        const waiter: Waiter = {
          grant: () => {
            signal.removeEventListener('abort', onAbort);
            resolve(releaseOnce());
          },
          fail: (reason) => {
            signal.removeEventListener('abort', onAbort);
            reject(reason);
          },
        };
        queue.push(waiter);
        signal.addEventListener('abort', onAbort, { once: true });
      });
    },
    rejectWaiting(reason) {
      for (const waiter of queue.splice(0)) waiter.fail(reason);
    },
  };
}
