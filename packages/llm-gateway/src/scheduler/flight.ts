import { cancelled } from '../errors.js';
import { CancelToken } from './cancel-token.js';

/**
 * One provider call shared by every identical request that arrives while it runs (request
 * coalescing). Each joiner can walk away with its own token; the call itself is cancelled only
 * when the last joiner has gone.
 */
export class Flight<T> {
  private readonly token = new CancelToken();
  private joiners = 0;
  readonly promise: Promise<T>;

  constructor(run: (token: CancelToken) => Promise<T>) {
    this.promise = run(this.token);
    this.promise.catch(() => {});
  }

  get abandoned(): boolean {
    return this.token.aborted;
  }

  join(caller: CancelToken): Promise<T> {
    if (caller.aborted) return Promise.reject(cancelled('the call'));
    this.joiners += 1;
    return new Promise<T>((resolve, reject) => {
      const unsubscribe = caller.onAbort(() => {
        this.joiners -= 1;
        if (this.joiners === 0) this.token.abort();
        reject(cancelled('the call'));
      });
      this.promise.then(
        (value) => {
          unsubscribe();
          resolve(value);
        },
        (error: unknown) => {
          unsubscribe();
          reject(error);
        },
      );
    });
  }
}
