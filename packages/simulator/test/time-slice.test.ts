import { describe, expect, it } from 'vitest';
import { createTimeSlicer } from '../src/index.js';

/** A clock the test moves by hand. */
function manualClock() {
  let at = 0;
  return { now: () => at, advance: (ms: number) => (at += ms) };
}

/** Spins the CPU for `ms` of wall time: simulated work that never awaits anything. */
function busy(ms: number): void {
  const end = performance.now() + ms;
  while (performance.now() < end) {
    // spin
  }
}

describe('createTimeSlicer', () => {
  it('runs work at once while the slice lasts and gates it once the slice is spent', async () => {
    const clock = manualClock();
    const slicer = createTimeSlicer({ sliceMs: 10, now: clock.now });
    expect(slicer.run(() => 'now')).toBe('now');
    clock.advance(4);
    expect(slicer.run(() => 'still now')).toBe('still now');
    clock.advance(7);
    const later = slicer.run(() => 'after a turn');
    expect(later).toBeInstanceOf(Promise);
    expect(await later).toBe('after a turn');
    expect(slicer.yields()).toBe(1);
    // The turn opened a new slice.
    expect(slicer.run(() => 'now again')).toBe('now again');
  });

  it('passes a failure of the work to its caller, waiting or not', async () => {
    const clock = manualClock();
    const slicer = createTimeSlicer({ sliceMs: 10, now: clock.now });
    const fail = () => {
      throw new Error('cancelled meanwhile');
    };
    expect(() => slicer.run(fail)).toThrow('cancelled meanwhile');
    clock.advance(10);
    await expect(slicer.run(fail)).rejects.toThrow('cancelled meanwhile');
  });

  it('runs one piece of work per turn when the slice has no length', async () => {
    const slicer = createTimeSlicer({ sliceMs: 0 });
    const turns = await Promise.all([0, 1, 2].map(() => slicer.run(() => slicer.yields())));
    expect(turns).toEqual([0, 1, 2]);
  });

  it('runs an immediate queued before the gate ahead of every waiter', async () => {
    const clock = manualClock();
    const slicer = createTimeSlicer({ sliceMs: 10, now: clock.now });
    slicer.run(() => 'the slice begins');
    clock.advance(20);
    const order: string[] = [];
    setImmediate(() => order.push('immediate'));
    await Promise.all([1, 2, 3].map((i) => slicer.run(() => order.push(`work ${i}`))));
    expect(order).toEqual(['immediate', 'work 1', 'work 2', 'work 3']);
  });

  it('sends waiters the reopened slice has no room for to the next turn, in their order', async () => {
    const clock = manualClock();
    const slicer = createTimeSlicer({ sliceMs: 10, now: clock.now });
    slicer.run(() => 'the slice begins');
    clock.advance(20);
    const turns: number[] = [];
    await Promise.all(
      [0, 1, 2, 3, 4].map((i) =>
        slicer.run(() => {
          turns[i] = slicer.yields();
          // Each piece of work spends 4 ms: two fit in a slice, the third starts at 8 ms.
          clock.advance(4);
        }),
      ),
    );
    expect(turns).toEqual([1, 1, 1, 2, 2]);
  });

  it('keeps a timer on time under thousands of microtask-only calls that share one slicer', async () => {
    const slicer = createTimeSlicer({ sliceMs: 5 });
    let doneWhenTimerFired: number | undefined;
    let done = 0;
    const started = performance.now();
    setTimeout(() => {
      doneWhenTimerFired = done;
    }, 1);
    // 4,000 calls of 0.02 ms: about 80 ms of work that, unsliced, ends before any timer runs.
    await Promise.all(
      Array.from({ length: 4_000 }, async () => {
        await Promise.resolve();
        await slicer.run(() => {
          busy(0.02);
          done += 1;
        });
      }),
    );
    expect(performance.now() - started).toBeGreaterThan(40);
    expect(doneWhenTimerFired).toBeDefined();
    expect(doneWhenTimerFired!).toBeLessThan(4_000);
    expect(slicer.yields()).toBeGreaterThan(2);
  });
});
