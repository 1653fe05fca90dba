import { describe, expect, it } from 'vitest';
import { EndpointLimiter, type Slot } from '../src/scheduler/endpoint-limiter.js';

const slots = (limiter: EndpointLimiter, n: number): Promise<Slot[]> =>
  Promise.all(Array.from({ length: n }, () => limiter.acquire(0)));

describe('the adaptive concurrency limit', () => {
  it('shrinks to three quarters, rounded down, on the first 429 of an epoch only', async () => {
    const limiter = new EndpointLimiter({ concurrency: 8 });
    const burst = await slots(limiter, 8);
    expect(burst.every((slot) => slot.epoch === 0)).toBe(true);
    burst[0]!.release('rate-limited');
    expect(limiter.currentLimit).toBe(6);
    burst[1]!.release('rate-limited');
    expect(limiter.currentLimit).toBe(6);
    for (const slot of burst.slice(2)) slot.release('failed');
    // A call started after the shrink is in the next epoch: its 429 shrinks the limit again.
    const next = await limiter.acquire(0);
    expect(next.epoch).toBe(1);
    next.release('rate-limited');
    expect(limiter.currentLimit).toBe(4);
    expect(limiter.maxConcurrency).toBe(8);
  });

  it('never shrinks below one', async () => {
    const limiter = new EndpointLimiter({ concurrency: 1 });
    (await limiter.acquire(0)).release('rate-limited');
    expect(limiter.currentLimit).toBe(1);
    const second = await limiter.acquire(0);
    expect(second.epoch).toBe(0);
    second.release('rate-limited');
    expect(limiter.currentLimit).toBe(1);
  });

  it('grows by one after a quarter-limit of successes (rounded up), failures not counting', async () => {
    const limiter = new EndpointLimiter({ concurrency: 8 });
    (await limiter.acquire(0)).release('rate-limited');
    expect(limiter.currentLimit).toBe(6);
    (await limiter.acquire(0)).release('failed');
    (await limiter.acquire(0)).release('ok');
    expect(limiter.currentLimit).toBe(6);
    (await limiter.acquire(0)).release('ok');
    expect(limiter.currentLimit).toBe(7);
    (await limiter.acquire(0)).release('ok');
    expect(limiter.currentLimit).toBe(7);
    (await limiter.acquire(0)).release('ok');
    expect(limiter.currentLimit).toBe(8);
    for (let i = 0; i < 5; i += 1) (await limiter.acquire(0)).release('ok');
    expect(limiter.currentLimit).toBe(8);
  });

  it('starts counting successes again after a shrink', async () => {
    const limiter = new EndpointLimiter({ concurrency: 8 });
    const first = await slots(limiter, 2);
    first[0]!.release('rate-limited');
    expect(limiter.currentLimit).toBe(6);
    (await limiter.acquire(0)).release('ok');
    first[1]!.release('ok');
    expect(limiter.currentLimit).toBe(7);
    const [a, b] = await slots(limiter, 2);
    a!.release('ok');
    b!.release('rate-limited');
    expect(limiter.currentLimit).toBe(5);
    (await limiter.acquire(0)).release('ok');
    expect(limiter.currentLimit).toBe(5);
  });

  it('holds new calls while more are in flight than the shrunk limit allows', async () => {
    const limiter = new EndpointLimiter({ concurrency: 4 });
    const burst = await slots(limiter, 4);
    burst[0]!.release('rate-limited');
    expect(limiter.currentLimit).toBe(3);
    let granted = false;
    const waiting = limiter.acquire(0).then((slot) => {
      granted = true;
      return slot;
    });
    await Promise.resolve();
    expect(granted).toBe(false);
    expect(limiter.queued).toBe(1);
    burst[1]!.release('failed');
    const slot = await waiting;
    expect(limiter.inFlight).toBe(3);
    for (const held of [slot, burst[2]!, burst[3]!]) held.release('failed');
    expect(limiter.inFlight).toBe(0);
  });

  it('counts a slot released twice once', async () => {
    const limiter = new EndpointLimiter({ concurrency: 2 });
    const [a, b] = await slots(limiter, 2);
    a!.release('ok');
    a!.release('ok');
    expect(limiter.inFlight).toBe(1);
    b!.release('ok');
    expect(limiter.inFlight).toBe(0);
  });
});
