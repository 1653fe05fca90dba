import { cancelled } from '../errors.js';
import type { CancelToken } from './cancel-token.js';

export interface LimiterSettings {
  concurrency: number;
  rpm?: number | undefined;
  tpm?: number | undefined;
}

/** A granted slot: release it exactly once, with the tokens the call really used if known. */
export interface Slot {
  /** The concurrency epoch the call started in; a 429 only shrinks the limit once per epoch. */
  readonly epoch: number;
  release(outcome: 'ok' | 'rate-limited' | 'failed', actualTokens?: number): void;
}

interface Waiter {
  tokens: number;
  grant: (slot: Slot) => void;
  reject: (error: Error) => void;
  unsubscribe: () => void;
}

/**
 * On a 429 the limit shrinks by this ratio (once per epoch: the calls already in flight when
 * it shrank do not shrink it again) and grows by one per quarter-limit of successes. Halving
 * and growing one per full window (TCP's AIMD) collapses to a few slots when a provider sheds
 * a steady share of requests, which is what hosted APIs do near their limits.
 */
const BACKOFF_RATIO = 0.75;

/** Refills continuously; a rate of N per minute allows a burst of N. */
class TokenBucket {
  private level: number;
  private last = performance.now();
  constructor(private readonly perMinute: number) {
    this.level = perMinute;
  }
  private refill(): void {
    const now = performance.now();
    this.level = Math.min(this.perMinute, this.level + ((now - this.last) * this.perMinute) / 60_000);
    this.last = now;
  }
  /** ms until `amount` is available (0: now). Amounts above the capacity wait for a full bucket. */
  waitFor(amount: number): number {
    this.refill();
    const need = Math.min(amount, this.perMinute) - this.level;
    return need <= 0 ? 0 : Math.ceil((need * 60_000) / this.perMinute);
  }
  take(amount: number): void {
    this.level -= amount;
  }
  give(amount: number): void {
    this.level = Math.min(this.perMinute, this.level + amount);
  }
}

/**
 * Admission control for one endpoint: a FIFO queue in front of an adaptive concurrency limit
 * (shrunk on 429, at most once per epoch, and grown back after successes) and
 * optional requests-per-minute and tokens-per-minute buckets.
 */
export class EndpointLimiter {
  private limit: number;
  private active = 0;
  private epoch = 0;
  private successesSinceChange = 0;
  private readonly queue: Waiter[] = [];
  private readonly requests: TokenBucket | undefined;
  private readonly tokens: TokenBucket | undefined;
  private timer: NodeJS.Timeout | null = null;

  constructor(private readonly settings: LimiterSettings) {
    this.limit = settings.concurrency;
    this.requests = settings.rpm ? new TokenBucket(settings.rpm) : undefined;
    this.tokens = settings.tpm ? new TokenBucket(settings.tpm) : undefined;
  }

  get currentLimit(): number {
    return this.limit;
  }
  /** The configured limit, which the adaptive one returns to after 429s. */
  get maxConcurrency(): number {
    return this.settings.concurrency;
  }
  get hasTokenLimit(): boolean {
    return this.tokens !== undefined;
  }
  get inFlight(): number {
    return this.active;
  }
  get queued(): number {
    return this.queue.length;
  }

  acquire(estimatedTokens: number, cancel?: CancelToken): Promise<Slot> {
    if (cancel?.aborted) return Promise.reject(cancelled('the call'));
    if (this.queue.length === 0 && this.canStart(estimatedTokens) === 0) {
      return Promise.resolve(this.start(estimatedTokens));
    }
    return new Promise<Slot>((resolve, reject) => {
      const waiter: Waiter = { tokens: estimatedTokens, grant: resolve, reject, unsubscribe: () => {} };
      this.queue.push(waiter);
      if (cancel) {
        waiter.unsubscribe = cancel.onAbort(() => {
          const index = this.queue.indexOf(waiter);
          if (index >= 0) this.queue.splice(index, 1);
          reject(cancelled('the queued call'));
          this.pump();
        });
      }
      this.pump();
    });
  }

  /** 0 when a call may start now, -1 when it waits for a slot, else ms until the buckets allow it. */
  private canStart(tokens: number): number {
    if (this.active >= this.limit) return -1;
    const wait = Math.max(this.requests?.waitFor(1) ?? 0, this.tokens?.waitFor(tokens) ?? 0);
    return wait;
  }

  private start(tokens: number): Slot {
    this.active += 1;
    this.requests?.take(1);
    this.tokens?.take(tokens);
    const epoch = this.epoch;
    let released = false;
    return {
      epoch,
      release: (outcome, actualTokens) => {
        if (released) return;
        released = true;
        this.active -= 1;
        if (this.tokens && actualTokens !== undefined) {
          const diff = tokens - actualTokens;
          if (diff > 0) this.tokens.give(diff);
          else this.tokens.take(-diff);
        }
        this.adapt(outcome, epoch);
        this.pump();
      },
    };
  }

  private adapt(outcome: 'ok' | 'rate-limited' | 'failed', epoch: number): void {
    if (outcome === 'rate-limited') {
      if (epoch === this.epoch && this.limit > 1) {
        this.limit = Math.max(1, Math.floor(this.limit * BACKOFF_RATIO));
        this.epoch += 1;
        this.successesSinceChange = 0;
      }
      return;
    }
    if (outcome !== 'ok' || this.limit >= this.settings.concurrency) return;
    this.successesSinceChange += 1;
    if (this.successesSinceChange >= Math.ceil(this.limit / 4)) {
      this.limit += 1;
      this.successesSinceChange = 0;
    }
  }

  private pump(): void {
    while (this.queue.length > 0) {
      const next = this.queue[0]!;
      const wait = this.canStart(next.tokens);
      if (wait < 0) return;
      if (wait > 0) {
        if (!this.timer) {
          this.timer = setTimeout(() => {
            this.timer = null;
            this.pump();
          }, wait);
        }
        return;
      }
      this.queue.shift();
      next.unsubscribe();
      next.grant(this.start(next.tokens));
    }
  }

  /** Rejects every queued call (the gateway is closing). */
  drain(error: Error): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    for (const waiter of this.queue.splice(0)) {
      waiter.unsubscribe();
      waiter.reject(error);
    }
  }
}
