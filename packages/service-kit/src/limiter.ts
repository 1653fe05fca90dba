/**
 * A counting semaphore: at most `limit` operations are in flight; the rest wait in FIFO order.
 * The optimizer bounds a run's evaluations and optimizer calls with it (the gateway bounds the
 * requests per endpoint on its side, with rate limits: a different thing).
 */
export class Limiter {
  private active = 0;
  private readonly waiting: Array<() => void> = [];

  constructor(private readonly limit: number) {
    if (!Number.isInteger(limit) || limit < 1)
      throw new RangeError(`a limit must be a whole number >= 1, not ${limit}`);
  }

  /** Operations running now. */
  get inFlight(): number {
    return this.active;
  }

  /** Operations waiting for a slot. */
  get queued(): number {
    return this.waiting.length;
  }

  async run<T>(fn: () => Promise<T>): Promise<T> {
    // A freed slot passes straight to the next waiter, so `active` counts it throughout.
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

export function createLimiter(limit: number): Limiter {
  return new Limiter(limit);
}

/**
 * Runs `work` over the items with at most `limit` in flight, results in input order. After
 * the first failure no new item starts; the failure is rethrown once the running ones end.
 */
export async function mapLimited<T, R>(
  items: readonly T[],
  limit: number,
  work: (item: T) => Promise<R>,
): Promise<R[]> {
  const results = new Array<R>(items.length);
  let next = 0;
  // An array, not a `let`: the compiler does not see the workers assign it.
  const failures: unknown[] = [];
  const worker = async () => {
    while (failures.length === 0 && next < items.length) {
      const index = next;
      next += 1;
      try {
        results[index] = await work(items[index]!);
      } catch (error) {
        failures.push(error);
      }
    }
  };
  await Promise.all(Array.from({ length: Math.min(limit, items.length) }, worker));
  if (failures.length > 0) throw failures[0];
  return results;
}
