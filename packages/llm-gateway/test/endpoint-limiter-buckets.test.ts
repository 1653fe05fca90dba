import { describe, expect, it } from 'vitest';
import { CancelToken } from '../src/scheduler/cancel-token.js';
import { EndpointLimiter } from '../src/scheduler/endpoint-limiter.js';

/** Resolves to the ms a grant took, or rejects after `limitMs` so a wrong wait fails fast. */
async function timeToGrant(grant: Promise<unknown>, limitMs = 3_000): Promise<number> {
  const started = performance.now();
  let timer: NodeJS.Timeout | undefined;
  const tooLong = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`not granted within ${limitMs} ms`)), limitMs);
  });
  try {
    await Promise.race([grant, tooLong]);
  } finally {
    clearTimeout(timer);
  }
  return performance.now() - started;
}

describe('the requests-per-minute bucket', () => {
  it('allows a burst of the whole rate, then refills continuously: 600/min is one per 100 ms', async () => {
    const limiter = new EndpointLimiter({ concurrency: 1_000, rpm: 600 });
    for (let i = 0; i < 600; i += 1) (await limiter.acquire(0)).release('ok');
    const next = limiter.acquire(0);
    expect(limiter.queued).toBe(1);
    const waited = await timeToGrant(next);
    expect(waited).toBeGreaterThanOrEqual(60);
    expect(waited).toBeLessThan(1_000);
    expect(limiter.hasTokenLimit).toBe(false);
    (await next).release('ok');
  });
});

describe('both buckets', () => {
  it('start a call at once when each has room', async () => {
    const limiter = new EndpointLimiter({ concurrency: 4, rpm: 60, tpm: 1_000 });
    const slot = limiter.acquire(10);
    expect(limiter.queued).toBe(0);
    expect(await timeToGrant(slot, 500)).toBeLessThan(500);
    (await slot).release('ok', 10);
  });
});

describe('the tokens-per-minute bucket', () => {
  it('starts a call estimated above the whole rate once the bucket is full, instead of never', async () => {
    const limiter = new EndpointLimiter({ concurrency: 4, tpm: 1_000 });
    expect(limiter.hasTokenLimit).toBe(true);
    const big = limiter.acquire(5_000);
    expect(limiter.queued).toBe(0);
    (await big).release('ok', 5_000);
  });

  it('gives back what a call did not use and takes what it used beyond its estimate', async () => {
    const limiter = new EndpointLimiter({ concurrency: 4, tpm: 60_000 });
    (await limiter.acquire(50_000)).release('ok', 10_000);
    // The refund refills the bucket to 50,000 of 60,000, not to the brim: 55,000 must wait.
    const tooMuch = new CancelToken();
    const waitingTooMuch = limiter.acquire(55_000, tooMuch);
    expect(limiter.queued).toBe(1);
    tooMuch.abort();
    await expect(waitingTooMuch).rejects.toMatchObject({ kind: 'cancelled' });
    // 10,000 would be left without the refund: 40,000 more could not start at once.
    const refunded = limiter.acquire(40_000);
    expect(limiter.queued).toBe(0);
    (await refunded).release('ok', 60_000);
    // Now the bucket is empty, although only 40,000 were estimated: a small call waits.
    const controller = new CancelToken();
    const small = limiter.acquire(30_000, controller);
    expect(limiter.queued).toBe(1);
    controller.abort();
    await expect(small).rejects.toMatchObject({
      kind: 'cancelled',
      message: 'the queued call was cancelled',
    });
  });

  it('never holds more than the whole rate, even when a refund comes after a refill', async () => {
    const limiter = new EndpointLimiter({ concurrency: 4, tpm: 6_000 });
    const call = await limiter.acquire(100);
    // 100 tokens per second: after a second the bucket is full again while the call still runs.
    await new Promise((resolve) => setTimeout(resolve, 1_050));
    (await limiter.acquire(0)).release('ok', 0);
    call.release('ok', 0);
    (await limiter.acquire(6_000)).release('ok', 6_000);
    // A refund above the brim would let this start at once; a full-rate bucket is now empty.
    const waited = await timeToGrant(limiter.acquire(100));
    expect(waited).toBeGreaterThanOrEqual(700);
  });

  it('refills in time: 60,000/min gives 1,000 tokens in about a second', async () => {
    const limiter = new EndpointLimiter({ concurrency: 4, tpm: 60_000 });
    (await limiter.acquire(60_000)).release('ok');
    const waited = await timeToGrant(limiter.acquire(200));
    expect(waited).toBeGreaterThanOrEqual(150);
    expect(waited).toBeLessThan(1_500);
  });

  it('serves the queue in order: a small call does not pass a large one waiting for tokens', async () => {
    const limiter = new EndpointLimiter({ concurrency: 4, tpm: 1_000 });
    (await limiter.acquire(1_000)).release('ok');
    const large = new CancelToken();
    const waitingLarge = limiter.acquire(900, large);
    const waitingSmall = limiter.acquire(0);
    expect(limiter.queued).toBe(2);
    // Once the large call gives up, the small one behind it starts at once.
    large.abort();
    await expect(waitingLarge).rejects.toMatchObject({ kind: 'cancelled' });
    expect(await timeToGrant(waitingSmall, 500)).toBeLessThan(500);
    expect(limiter.queued).toBe(0);
  });

  it('rejects every queued call when drained, and a call cancelled before it asks', async () => {
    const timers = () => process.getActiveResourcesInfo().filter((kind) => kind === 'Timeout').length;
    const before = timers();
    const limiter = new EndpointLimiter({ concurrency: 2, tpm: 1_000 });
    const held = await limiter.acquire(1_000);
    const queued = [limiter.acquire(500), limiter.acquire(500)];
    // The first queued call waits for the bucket on a timer; closing must not leave it behind.
    expect(timers()).toBe(before + 1);
    limiter.drain(new Error('gateway closing'));
    expect(timers()).toBe(before);
    for (const call of queued) await expect(call).rejects.toThrow('gateway closing');
    expect(limiter.queued).toBe(0);
    held.release('ok');
    const cancelled = new CancelToken();
    cancelled.abort();
    await expect(limiter.acquire(0, cancelled)).rejects.toMatchObject({
      kind: 'cancelled',
      message: 'the call was cancelled',
    });
    expect(limiter.inFlight).toBe(0);
  });
});
