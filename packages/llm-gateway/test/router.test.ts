import type { LlmClient } from '@metaspo/schemas';
import { createServiceClient, domainCodeOf } from '@metaspo/service-kit';
import { startSimServer } from '@metaspo/simulator';
import { describe, expect, expectTypeOf, it } from 'vitest';
import { createLlmRouter, type LlmRouter } from '../src/router.js';
import { createLlmGatewayService } from '../src/service.js';
import { ARITHMETIC_KEY, FAKE_KEY, request, simProviders, waitFor } from './helpers.js';

const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'openai:default',
  messages: [{ role: 'user' as const, content }],
  ...extra,
});

async function setup(latencyMs: number) {
  const sim = await startSimServer({ port: 0, latencyMs, answerKey: ARITHMETIC_KEY, malformedRate: 0 });
  const service = createLlmGatewayService({
    databaseFile: ':memory:',
    config: { timeoutMs: 30_000 },
    env: { OPENAI_API_KEY: FAKE_KEY, OPENAI_BASE_URL: `${sim.url}/v1` },
  });
  const client = createServiceClient<LlmRouter>({ router: createLlmRouter(service) });
  return {
    sim,
    service,
    client,
    close: async () => {
      await service.close();
      await sim.close();
    },
  };
}

describe('router llm', () => {
  it('its typed client satisfies the LlmClient port', async () => {
    const service = createLlmGatewayService({ databaseFile: ':memory:', providers: simProviders() });
    const client = createServiceClient<LlmRouter>({ router: createLlmRouter(service) });
    expectTypeOf(client).toExtend<LlmClient>();
    const port: LlmClient = client;
    const result = await port.complete.mutate({
      model: 'sim:default',
      messages: [{ role: 'user', content: 'hi' }],
    });
    expect(result.model).toBe('sim:default');
    await port.budgets.set.mutate({ runId: 'r', maxCalls: 0 });
    const batch = await port.completeBatch.mutate({
      requests: [{ model: 'sim:default', messages: [{ role: 'user', content: 'new' }], runId: 'r' }],
    });
    expect(batch.outcomes[0]).toMatchObject({ ok: false, error: { kind: 'budget-exceeded' } });
    const error = await port.complete
      .mutate({ model: 'sim:default', messages: [{ role: 'user', content: 'x' }], runId: 'r' })
      .catch((e: unknown) => e);
    expect(domainCodeOf(error)).toBe('BUDGET_EXCEEDED');
    expect((await port.usage.query({ runId: 'r' })).totals).toMatchObject({ calls: 2, failedCalls: 2 });
    expect(await client.budgets.get.query({ runId: 'r' })).toMatchObject({ maxCalls: 0, exceeded: true });
    expect(await client.health.query()).toMatchObject({ ok: true, inFlightCalls: 0 });
    expect((await client.cache.stats.query()).entries).toBe(1);
    expect(await client.cache.clear.mutate({})).toEqual({ removed: 1 });
    const models = await client.models.query();
    expect(models.providers.map((p) => p.provider)).toContain('anthropic');
    await service.close();
  });

  it('coalesces identical concurrent requests into one provider call (server /stats)', async () => {
    const { sim, client, close } = await setup(150);
    const results = await Promise.all(
      Array.from({ length: 8 }, () => client.complete.mutate(ask('<Question>What is 2 + 2?</Question>'))),
    );
    const stats = (await (await fetch(`${sim.url}/stats`)).json()) as { requests: number };
    expect(stats.requests).toBe(1);
    expect(new Set(results.map((r) => r.text)).size).toBe(1);
    expect(results.filter((r) => !r.cached)).toHaveLength(1);
    expect((await client.cache.stats.query()).coalesced).toBe(7);
    const other = await client.complete.mutate(
      ask('<Question>What is 2 + 2?</Question>', { sampleIndex: 1 }),
    );
    expect(other.cached).toBe(false);
    expect(sim.stats().requests).toBe(2);
    await close();
  });

  it('an aborted tRPC call cancels its provider call', async () => {
    const { sim, service, client, close } = await setup(10_000);
    const controller = new AbortController();
    const pending = client.complete.mutate(ask('slow question'), { signal: controller.signal });
    await waitFor(() => sim.stats().requests === 1);
    controller.abort();
    await expect(pending).rejects.toThrow();
    await waitFor(() => service.health().inFlightCalls === 0);
    expect(service.usage().totals).toMatchObject({ calls: 1, failedCalls: 0, cancelledCalls: 1 });
    await close();
  });

  it('cancelRun aborts the queued and in-flight calls of that run only', async () => {
    const { sim, client, close } = await setup(10_000);
    const batch = client.completeBatch.mutate({
      requests: Array.from({ length: 40 }, (_, i) => ask(`run question ${i}`, { runId: 'doomed' })),
    });
    await waitFor(() => sim.stats().requests === 16);
    const { cancelledCalls } = await client.cancelRun.mutate({ runId: 'doomed' });
    expect(cancelledCalls).toBe(40);
    const { outcomes } = await batch;
    expect(outcomes.every((o) => !o.ok && o.error.kind === 'cancelled')).toBe(true);
    expect(sim.stats().requests).toBe(16);
    expect((await client.cancelRun.mutate({ runId: 'doomed' })).cancelledCalls).toBe(0);
    await close();
  });

  it('cancelRun and close reach every call of a big batch, admitted or not yet', async () => {
    const { sim, service, close } = await setup(10_000);
    const requests = (runId: string) =>
      Array.from({ length: 300 }, (_, i) => ({
        ...request({ model: 'openai:default', content: `${runId} question ${i}` }),
        runId,
      }));
    const cancelledBatch = service.completeBatch(requests('doomed'));
    expect(service.cancelRun('doomed').cancelledCalls).toBe(300);
    const cancelled = await cancelledBatch;
    expect(cancelled.every((o) => !o.ok && o.error.kind === 'cancelled')).toBe(true);
    const closedBatch = service.completeBatch(requests('closing'));
    await close();
    const closed = await closedBatch;
    expect(closed.every((o) => !o.ok && o.error.kind === 'cancelled')).toBe(true);
    // At most the first slice's calls were started on the wire (concurrency 16) in each batch.
    expect(sim.stats().requests).toBeLessThanOrEqual(32);
  });

  it('a big batch keeps a window of calls queued, not the whole batch', async () => {
    const { service, close } = await setup(5);
    let mostQueued = 0;
    const sampler = setInterval(() => {
      mostQueued = Math.max(mostQueued, service.health().queuedCalls);
    }, 1);
    const outcomes = await service.completeBatch(
      Array.from({ length: 600 }, (_, i) => request({ model: 'openai:default', content: `window ${i}` })),
    );
    clearInterval(sampler);
    expect(outcomes.every((o) => o.ok)).toBe(true);
    // Concurrency 16: the window is max(128, 2 x 16) admitted calls, 16 of them on the wire.
    expect(mostQueued).toBeGreaterThan(0);
    expect(mostQueued).toBeLessThanOrEqual(128 - 16);
    await close();
  });
});
