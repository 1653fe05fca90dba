import { getEventListeners } from 'node:events';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createGreeterRouter, type GreeterRouter } from '../test/fixtures/greeter-router.js';
import { createServiceClient } from './client.js';
import { type ServedRouter, serve } from './serve.js';

describe('a caller signal reused across calls', () => {
  let served: ServedRouter;
  beforeAll(async () => {
    served = await serve(createGreeterRouter());
  });
  afterAll(() => served.close(100));

  const clients = () => ({
    'in-process': createServiceClient<GreeterRouter>({ router: createGreeterRouter() }),
    http: createServiceClient<GreeterRouter>({ url: served.url }),
  });

  it('holds no listener once its calls have ended', async () => {
    for (const [kind, client] of Object.entries(clients())) {
      const run = new AbortController();
      for (let i = 0; i < 100; i += 1) {
        await client.greet.query({ name: `${kind} ${i}` }, { signal: run.signal });
      }
      const concurrent = Promise.all(
        Array.from({ length: 50 }, (_, i) => client.echo.mutate({ text: `${i}` }, { signal: run.signal })),
      );
      // Fifty calls in flight share one listener: more would trip Node's MaxListeners warning.
      expect({ kind, inFlight: getEventListeners(run.signal, 'abort').length }).toEqual({
        kind,
        inFlight: 1,
      });
      await concurrent;
      expect({ kind, listeners: getEventListeners(run.signal, 'abort').length }).toEqual({
        kind,
        listeners: 0,
      });
    }
  });

  it('still aborts the calls in flight', async () => {
    for (const client of Object.values(clients())) {
      const run = new AbortController();
      const pending = [1, 2, 3].map(() => client.slow.query({ ms: 5_000 }, { signal: run.signal }));
      setTimeout(() => run.abort(new Error('run cancelled')), 20);
      for (const call of pending) await expect(call).rejects.toThrow('This operation was aborted');
      expect(getEventListeners(run.signal, 'abort')).toHaveLength(0);
    }
  });
});

describe('an in-process call that completes', () => {
  it("aborts none of the link's AbortControllers, with or without a caller signal", async () => {
    const client = createServiceClient<GreeterRouter>({ router: createGreeterRouter() });
    const run = new AbortController();
    const abort = vi.spyOn(AbortController.prototype, 'abort');
    try {
      for (let i = 0; i < 20; i += 1) {
        expect((await client.greet.query({ name: `n${i}` })).text).toBe(`hello n${i}`);
        expect((await client.echo.mutate({ text: `${i}` }, { signal: run.signal })).length).toBe(
          `${i}`.length,
        );
      }
      await expect(client.lookup.query({ id: 'x' })).rejects.toMatchObject({ data: { code: 'NOT_FOUND' } });
      // One per completed call is tRPC's promise wrapper's own; its local link aborted two more.
      expect(abort).toHaveBeenCalledTimes(40);
    } finally {
      abort.mockRestore();
    }
    expect(run.signal.aborted).toBe(false);
  });
});
