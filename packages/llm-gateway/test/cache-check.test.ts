import { createServiceClient } from '@metaspo/service-kit';
import { startSimServer } from '@metaspo/simulator';
import { describe, expect, it } from 'vitest';
import { createLlmRouter, type LlmRouter } from '../src/router.js';
import { createLlmGatewayService } from '../src/service.js';
import { ARITHMETIC_KEY, FAKE_KEY } from './helpers.js';

const ask = (content: string, extra: Record<string, unknown> = {}) => ({
  model: 'openai:default',
  messages: [{ role: 'user' as const, content }],
  ...extra,
});

describe('llm.cache.check and llm.prices (for plans)', () => {
  it('says which requests the cache holds without calling the provider or counting a hit', async () => {
    const sim = await startSimServer({ port: 0, answerKey: ARITHMETIC_KEY, malformedRate: 0 });
    const service = createLlmGatewayService({
      databaseFile: ':memory:',
      env: { OPENAI_API_KEY: FAKE_KEY, OPENAI_BASE_URL: `${sim.url}/v1` },
    });
    const client = createServiceClient<LlmRouter>({ router: createLlmRouter(service) });
    try {
      await client.complete.mutate(ask('What is 2 + 3?'));
      const before = { ...service.cacheStats(), requests: sim.stats().requests };
      const check = await client.cache.check.query({
        requests: [
          ask('What is 2 + 3?'),
          // Bookkeeping is not part of the key: another run and tag find the same entry.
          ask('What is 2 + 3?', { runId: 'another', tag: 'base' }),
          ask('What is 2 + 3?', { sampleIndex: 1 }),
          ask('What is 2 + 3?', { temperature: 1 }),
          ask('What is 7 + 1?'),
        ],
      });
      expect(check.cached).toEqual([true, true, false, false, false]);
      expect(check.promptTokens[0]).toBe(Math.ceil('What is 2 + 3?'.length / 4));
      expect(sim.stats().requests).toBe(before.requests);
      const after = service.cacheStats();
      expect([after.hits, after.misses]).toEqual([before.hits, before.misses]);
    } finally {
      await service.close();
      await sim.close();
    }
  });

  it('gives the price table entry of each model, its batch price and whether it has a batch API', async () => {
    const service = createLlmGatewayService({
      databaseFile: ':memory:',
      config: { prices: { 'openai-compatible@vllm:llama': { input: 0.1, output: 0.2 } } },
      env: { OPENAI_API_KEY: 'test' },
    });
    const client = createServiceClient<LlmRouter>({ router: createLlmRouter(service) });
    try {
      const { prices } = await client.prices.query({
        models: ['openai:gpt-4o-mini', 'sim:default', 'openai-compatible@vllm:llama', 'openai:unknown-model'],
      });
      const free = { input: 0, output: 0 };
      const vllm = { input: 0.1, output: 0.2 };
      expect(prices).toEqual([
        {
          model: 'openai:gpt-4o-mini',
          price: { input: 0.15, output: 0.6 },
          batchPrice: { input: 0.075, output: 0.3 },
          batchApi: true,
        },
        // The simulator provider has no batch API; the vllm endpoint is not configured here.
        { model: 'sim:default', price: free, batchPrice: free, batchApi: false },
        { model: 'openai-compatible@vllm:llama', price: vllm, batchPrice: vllm, batchApi: false },
        { model: 'openai:unknown-model', price: null, batchPrice: null, batchApi: true },
      ]);
    } finally {
      await service.close();
    }
  });
});
