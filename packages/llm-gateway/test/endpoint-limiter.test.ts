import { describe, expect, it } from 'vitest';
import { CancelToken } from '../src/scheduler/cancel-token.js';
import { EndpointLimiter, type Slot } from '../src/scheduler/endpoint-limiter.js';

describe('endpoint limiter', () => {
  it('never runs more than the concurrency limit and serves the queue in order', async () => {
    const limiter = new EndpointLimiter({ concurrency: 2 });
    const order: number[] = [];
    const slots = await Promise.all([limiter.acquire(0), limiter.acquire(0)]);
    const waiting = [1, 2, 3].map((n) =>
      limiter.acquire(0).then((slot) => {
        order.push(n);
        return slot;
      }),
    );
    expect(limiter.inFlight).toBe(2);
    expect(limiter.queued).toBe(3);
    slots[0]!.release('ok');
    const first = await waiting[0]!;
    expect(order).toEqual([1]);
    expect(limiter.inFlight).toBe(2);
    slots[1]!.release('ok');
    first.release('ok');
    const rest = await Promise.all(waiting.slice(1));
    expect(order).toEqual([1, 2, 3]);
    for (const slot of rest) slot.release('ok');
    expect(limiter.inFlight).toBe(0);
  });

  it('shrinks the limit on 429 once per epoch and grows it back after successes', async () => {
    const limiter = new EndpointLimiter({ concurrency: 8 });
    const burst: Slot[] = await Promise.all(Array.from({ length: 8 }, () => limiter.acquire(0)));
    for (const slot of burst.slice(0, 4)) slot.release('rate-limited');
    expect(limiter.currentLimit).toBe(6);
    for (const slot of burst.slice(4)) slot.release('failed');
    let guard = 0;
    while (limiter.currentLimit < 8 && guard < 200) {
      guard += 1;
      (await limiter.acquire(0)).release('ok');
    }
    expect(limiter.currentLimit).toBe(8);
    expect(guard).toBeGreaterThan(2);
  });

  it('drops a queued call whose token is cancelled', async () => {
    const limiter = new EndpointLimiter({ concurrency: 1 });
    const held = await limiter.acquire(0);
    const controller = new CancelToken();
    const queued = limiter.acquire(0, controller);
    controller.abort();
    await expect(queued).rejects.toMatchObject({ kind: 'cancelled' });
    expect(limiter.queued).toBe(0);
    held.release('ok');
    (await limiter.acquire(0)).release('ok');
  });

  it('holds calls beyond the requests-per-minute budget', async () => {
    const limiter = new EndpointLimiter({ concurrency: 10, rpm: 2 });
    (await limiter.acquire(0)).release('ok');
    (await limiter.acquire(0)).release('ok');
    const controller = new CancelToken();
    const third = limiter.acquire(0, controller);
    await new Promise((resolve) => setTimeout(resolve, 20));
    expect(limiter.queued).toBe(1);
    controller.abort();
    await expect(third).rejects.toMatchObject({ kind: 'cancelled' });
    limiter.drain(new Error('closing'));
  });
});
