import { describe, expect, it } from 'vitest';
import { createLlmGatewayService } from '../src/service.js';
import { request, simProviders, tempDatabaseFile } from './helpers.js';

describe('response cache and ledger (in-process sim: provider)', () => {
  it('serves a repeat from the cache as a copy and still writes a ledger row', async () => {
    const service = createLlmGatewayService({ databaseFile: ':memory:', providers: simProviders() });
    const first = await service.complete(request({ runId: 'r1' }));
    expect(first.cached).toBe(false);
    first.usage.promptTokens = -1;
    const second = await service.complete(request({ runId: 'r1' }));
    expect(second).toMatchObject({ cached: true, text: first.text, costUsd: 0 });
    expect(second.usage.promptTokens).toBeGreaterThan(0);
    expect(second.callId).not.toBe(first.callId);
    const usage = service.usage('r1');
    expect(usage.totals).toMatchObject({
      calls: 2,
      cachedCalls: 1,
      paidCalls: 1,
      failedCalls: 0,
      costUsd: 0,
    });
    expect(usage.byModel).toEqual([expect.objectContaining({ model: 'sim:default', calls: 2 })]);
    expect(service.usage('other-run').totals.calls).toBe(0);
    await service.close();
  });

  it('survives a restart: the same file replays the answer without a new paid call', async () => {
    const databaseFile = tempDatabaseFile();
    const before = createLlmGatewayService({ databaseFile, providers: simProviders() });
    const original = await before.complete(request({ temperature: 1, sampleIndex: 3 }));
    await before.close();
    const after = createLlmGatewayService({ databaseFile, providers: simProviders() });
    const replay = await after.complete(request({ temperature: 1, sampleIndex: 3 }));
    expect(replay).toMatchObject({ cached: true, text: original.text });
    expect(after.cacheStats().entries).toBe(1);
    expect(after.usage().totals).toMatchObject({ calls: 2, paidCalls: 1, cachedCalls: 1 });
    await after.close();
  });

  it('keeps sample indices as distinct entries and keys nothing on run, tag or timeout', async () => {
    const service = createLlmGatewayService({ databaseFile: ':memory:', providers: simProviders() });
    const samples = await Promise.all(
      [0, 1, 2].map((sampleIndex) => service.complete(request({ temperature: 1, sampleIndex }))),
    );
    expect(samples.every((s) => !s.cached)).toBe(true);
    expect(service.cacheStats().entries).toBe(3);
    const again = await service.complete(
      request({ temperature: 1, sampleIndex: 2, runId: 'another', tag: 'x', timeoutMs: 5 }),
    );
    expect(again).toMatchObject({ cached: true, text: samples[2]!.text });
    await service.close();
  });

  it('refresh bypasses the cache and rewrites it; off neither reads nor writes', async () => {
    const service = createLlmGatewayService({ databaseFile: ':memory:', providers: simProviders() });
    await service.complete(request({}));
    const refreshed = await service.complete(request({ cache: 'refresh' }));
    expect(refreshed.cached).toBe(false);
    const off = await service.complete(request({ cache: 'off', content: 'A question never cached' }));
    expect(off.cached).toBe(false);
    expect(service.cacheStats()).toMatchObject({ entries: 1, writes: 2 });
    expect(service.usage().totals).toMatchObject({ calls: 3, paidCalls: 3, cachedCalls: 0 });
    expect(service.clearCache().removed).toBe(1);
    expect((await service.complete(request({}))).cached).toBe(false);
    await service.close();
  });

  it('never caches an error and records it in the ledger with its kind', async () => {
    const service = createLlmGatewayService({ databaseFile: ':memory:', env: {}, providers: simProviders() });
    await expect(service.complete(request({ model: 'openai:gpt-4o-mini' }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
      message: 'provider openai is not configured: set the environment variable OPENAI_API_KEY',
    });
    await expect(service.complete(request({ model: 'sim:no-such-variant' }))).rejects.toMatchObject({
      code: 'INVALID_INPUT',
    });
    expect(service.cacheStats().entries).toBe(0);
    expect(service.usage().totals).toMatchObject({ calls: 2, failedCalls: 2, paidCalls: 0 });
    await service.close();
  });

  it('a batch keeps request order and reports per-item errors with their kind', async () => {
    const service = createLlmGatewayService({ databaseFile: ':memory:', env: {}, providers: simProviders() });
    const outcomes = await service.completeBatch([
      request({ content: 'first question' }),
      request({ model: 'openai-compatible@nowhere:llama' }),
      request({ content: 'third question' }),
    ]);
    expect(outcomes.map((o) => o.ok)).toEqual([true, false, true]);
    expect(outcomes[1]).toMatchObject({
      ok: false,
      error: {
        kind: 'config',
        message: expect.stringContaining('no endpoint "nowhere" under llm.endpoints'),
      },
    });
    await service.close();
  });
});

describe('budgets', () => {
  it('stops paid calls past maxCalls, keeps cached replays free, and resumes with a higher budget', async () => {
    const service = createLlmGatewayService({ databaseFile: ':memory:', providers: simProviders() });
    service.setBudget({ runId: 'run', maxCalls: 2 });
    const questions = ['q one', 'q two', 'q three'].map((content) => request({ content, runId: 'run' }));
    const outcomes = await service.completeBatch(questions);
    expect(outcomes.map((o) => (o.ok ? 'ok' : o.error.kind))).toEqual(['ok', 'ok', 'budget-exceeded']);
    await expect(service.complete(questions[2]!)).rejects.toMatchObject({ code: 'BUDGET_EXCEEDED' });
    expect((await service.complete(questions[0]!)).cached).toBe(true);
    expect(service.getBudget('run')).toMatchObject({ maxCalls: 2, paidCalls: 2, exceeded: true });
    service.setBudget({ runId: 'run', maxCalls: 5 });
    const resumed = await service.completeBatch(questions);
    expect(resumed.map((o) => o.ok && o.result.cached)).toEqual([true, true, false]);
    expect(service.getBudget('run')).toMatchObject({ paidCalls: 3, exceeded: false });
    await service.close();
  });

  it('loads spend from the ledger when a budget is set after calls were made, and across restarts', async () => {
    const databaseFile = tempDatabaseFile();
    const first = createLlmGatewayService({ databaseFile, providers: simProviders() });
    await first.complete(request({ content: 'before the budget', runId: 'late' }));
    expect(first.setBudget({ runId: 'late', maxCalls: 1 })).toMatchObject({ paidCalls: 1, exceeded: true });
    await first.close();
    const second = createLlmGatewayService({ databaseFile, providers: simProviders() });
    await expect(second.complete(request({ content: 'new', runId: 'late' }))).rejects.toMatchObject({
      code: 'BUDGET_EXCEEDED',
    });
    expect(second.getBudget('late')).toMatchObject({ maxCalls: 1, paidCalls: 1, maxUsd: null });
    await second.close();
  });
});
