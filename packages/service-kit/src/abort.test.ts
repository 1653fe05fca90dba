import { describe, expect, it } from 'vitest';
import {
  abortReason,
  linkSignals,
  onAbort,
  sleepUnlessAborted,
  throwIfAborted,
  untilAborted,
} from './abort.js';

describe('abort helpers', () => {
  it('gives an Error reason as is and any other reason as an AbortError', () => {
    const withError = new AbortController();
    const reason = new Error('stopped');
    withError.abort(reason);
    expect(abortReason(withError.signal)).toBe(reason);
    const withString = new AbortController();
    withString.abort('because');
    expect(abortReason(withString.signal)).toMatchObject({ name: 'AbortError' });
  });

  it('throws only once aborted, with the error asked for', () => {
    const controller = new AbortController();
    expect(() => throwIfAborted(controller.signal)).not.toThrow();
    expect(() => throwIfAborted(undefined)).not.toThrow();
    controller.abort(new Error('gone'));
    expect(() => throwIfAborted(controller.signal)).toThrow('gone');
    expect(() => throwIfAborted(controller.signal, () => new RangeError('cancelled'))).toThrow(RangeError);
  });

  it('calls an abort listener for a signal aborted before it was added, and lets it be removed', () => {
    const early = new AbortController();
    early.abort();
    let calls = 0;
    onAbort(early.signal, () => {
      calls += 1;
    });
    expect(calls).toBe(1);
    const later = new AbortController();
    const remove = onAbort(later.signal, () => {
      calls += 1;
    });
    remove();
    later.abort();
    expect(calls).toBe(1);
  });

  it('rejects a wait as soon as the signal aborts, and passes the work through otherwise', async () => {
    expect(await untilAborted(Promise.resolve(7), new AbortController().signal)).toBe(7);
    const controller = new AbortController();
    const never = new Promise<number>(() => {});
    const waiting = untilAborted(never, controller.signal);
    controller.abort(new Error('cancelled'));
    await expect(waiting).rejects.toThrow('cancelled');
    await expect(untilAborted(Promise.resolve(1), controller.signal)).rejects.toThrow('cancelled');
  });

  it('cuts a sleep short on abort', async () => {
    const controller = new AbortController();
    const started = performance.now();
    const sleeping = sleepUnlessAborted(10_000, controller.signal);
    controller.abort();
    await sleeping;
    expect(performance.now() - started).toBeLessThan(1_000);
    const timed = performance.now();
    await sleepUnlessAborted(20, undefined);
    expect(performance.now() - timed).toBeGreaterThanOrEqual(15);
  });

  it('links signals: aborting one aborts the link with its reason', () => {
    expect(linkSignals(undefined, undefined)).toBeUndefined();
    const only = new AbortController();
    expect(linkSignals(undefined, only.signal)).toBe(only.signal);
    const a = new AbortController();
    const b = new AbortController();
    const linked = linkSignals(a.signal, undefined, b.signal);
    expect(linked?.aborted).toBe(false);
    const reason = new Error('b stopped');
    b.abort(reason);
    expect(linked?.aborted).toBe(true);
    expect(linked?.reason).toBe(reason);
  });
});
