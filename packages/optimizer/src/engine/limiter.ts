/**
 * A counting semaphore: at most `limit` operations (evaluations, optimizer calls) of a run are
 * in flight; the rest wait in FIFO order. The gateway bounds the requests per endpoint on its
 * side, so this bounds how much of a run is queued there at once.
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {}

  async run<T>(fn: () => Promise<T>): Promise<T> {
    if (this.active >= this.limit) await new Promise<void>((resolve) => this.waiting.push(resolve));
    else this.active += 1;
    try {
      return await fn();
    } finally {
      const next = this.waiting.shift();
      if (next) next();
      else this.active -= 1;
    }
  }
}
