import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SimServer, startSimServer } from '@metaspo/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmGatewayService } from '../src/service.js';
import { ARITHMETIC_KEY, FAKE_KEY, request, simProviders } from './helpers.js';

const QUESTION = '<Question>What is 2 + 2?</Question> Answer with a number.';

/** A loopback stand-in for Gemini's generateContent that records what it was sent. */
async function startGoogleFake() {
  const seen: Array<{ url: string; apiKey: string | undefined; body: unknown }> = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      const body = JSON.parse(raw) as { contents: Array<{ parts: Array<{ text: string }> }> };
      seen.push({ url: req.url ?? '', apiKey: req.headers['x-goog-api-key'] as string | undefined, body });
      const question = body.contents.at(-1)?.parts[0]?.text ?? '';
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(
        JSON.stringify({
          candidates: [
            {
              content: { role: 'model', parts: [{ text: `echo: ${question}` }] },
              finishReason: 'STOP',
              index: 0,
            },
          ],
          usageMetadata: { promptTokenCount: 11, candidatesTokenCount: 7, totalTokenCount: 18 },
        }),
      );
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1beta`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

describe('provider contracts over loopback HTTP', () => {
  let sim: SimServer;
  let google: Awaited<ReturnType<typeof startGoogleFake>>;
  beforeAll(async () => {
    sim = await startSimServer({ port: 0, answerKey: ARITHMETIC_KEY, malformedRate: 0 });
    google = await startGoogleFake();
  });
  afterAll(async () => {
    await sim.close();
    await google.close();
  });

  const gateway = () =>
    createLlmGatewayService({
      databaseFile: ':memory:',
      providers: simProviders(ARITHMETIC_KEY),
      config: {
        endpoints: { local: { baseUrl: `${sim.url}/v1`, apiKeyEnv: 'LOCAL_LLM_API_KEY' } },
        providers: { sim: { malformedRate: 0 } },
      },
      env: {
        OPENAI_API_KEY: FAKE_KEY,
        OPENAI_BASE_URL: `${sim.url}/v1`,
        ANTHROPIC_API_KEY: FAKE_KEY,
        ANTHROPIC_BASE_URL: `${sim.url}/v1`,
        GOOGLE_GENERATIVE_AI_API_KEY: FAKE_KEY,
        GOOGLE_GENERATIVE_AI_BASE_URL: google.url,
        LOCAL_LLM_API_KEY: FAKE_KEY,
      },
    });

  it.each([
    ['openai:default', 'POST /v1/chat/completions'],
    ['openai-compatible@local:default', 'POST /v1/chat/completions'],
    ['anthropic:default', 'POST /v1/messages'],
  ])('%s answers like the in-process simulator, through %s', async (model, route) => {
    const service = gateway();
    const before = sim.stats().byEndpoint[route] ?? 0;
    const messages = [
      { role: 'system' as const, content: 'You are a careful assistant.' },
      { role: 'user' as const, content: QUESTION },
    ];
    const viaHttp = await service.complete(request({ model, messages }));
    const inProcess = await service.complete(request({ model: 'sim:default', messages }));
    expect(viaHttp.text).toBe(inProcess.text);
    expect(viaHttp.text).toContain('4');
    expect(viaHttp.usage.promptTokens).toBeGreaterThan(0);
    expect(viaHttp.usage.completionTokens).toBeGreaterThan(0);
    expect(viaHttp.finishReason).toBe('stop');
    expect(sim.stats().byEndpoint[route]).toBe(before + 1);
    await service.close();
  });

  it('openai: distinct sample indices at temperature > 0 are distinct requests, each replayable', async () => {
    const service = gateway();
    const meta = [
      {
        role: 'user' as const,
        content:
          '<current_prompt>You are a helpful assistant.</current_prompt>\nWrite your reply inside <system_prompt></system_prompt>.',
      },
    ];
    const samples = await Promise.all(
      [1, 2, 3].map((sampleIndex) =>
        service.complete(
          request({ model: 'openai:default', messages: meta, temperature: 1, sampleIndex, cache: 'off' }),
        ),
      ),
    );
    expect(new Set(samples.map((s) => s.text)).size).toBe(3);
    const again = await service.complete(
      request({ model: 'openai:default', messages: meta, temperature: 1, sampleIndex: 2, cache: 'off' }),
    );
    expect(again.text).toBe(samples[1]?.text);
    await service.close();
  });

  it('google: sends the key in its header and maps text, usage and finish reason', async () => {
    const service = gateway();
    const result = await service.complete(
      request({ model: 'google:gemini-2.0-flash', content: 'Say hello', maxTokens: 20 }),
    );
    expect(result).toMatchObject({
      text: 'echo: Say hello',
      usage: { promptTokens: 11, completionTokens: 7 },
      finishReason: 'stop',
      cached: false,
    });
    expect(result.costUsd).toBeCloseTo((11 * 0.1 + 7 * 0.4) / 1_000_000, 12);
    expect(google.seen.at(-1)).toMatchObject({
      url: '/v1beta/models/gemini-2.0-flash:generateContent',
      apiKey: FAKE_KEY,
    });
    await service.close();
  });

  it('records an unpriced model with cost null and says so in the usage totals', async () => {
    const service = gateway();
    const result = await service.complete(
      request({ model: 'openai:default', content: QUESTION, runId: 'u' }),
    );
    expect(result.costUsd).toBeNull();
    await service.complete(request({ model: 'sim:default', content: QUESTION, runId: 'u' }));
    const usage = service.usage('u');
    expect(usage.totals).toMatchObject({ paidCalls: 2, unpricedCalls: 1, costUsd: null });
    expect(usage.byModel.find((m) => m.model === 'sim:default')).toMatchObject({
      costUsd: 0,
      unpricedCalls: 0,
    });
    await service.close();
  });

  it('names the provider and the missing variable, never a value, when a key is absent', async () => {
    const service = createLlmGatewayService({ databaseFile: ':memory:', env: { OPENAI_API_KEY: FAKE_KEY } });
    const outcomes = await service.completeBatch([
      request({ model: 'anthropic:claude-3-5-haiku-latest' }),
      request({ model: 'google:gemini-2.0-flash' }),
      // The wire schema rejects this; the service must still say why if it is called directly.
      { ...request({}), model: 'mistral:large' },
    ]);
    const messages = outcomes.map((o) => (o.ok ? '' : o.error.message));
    expect(messages[0]).toBe(
      'provider anthropic is not configured: set the environment variable ANTHROPIC_API_KEY',
    );
    expect(messages[1]).toContain('GOOGLE_GENERATIVE_AI_API_KEY');
    expect(messages[2]).toContain('unknown provider "mistral"');
    for (const message of messages) expect(message).not.toContain(FAKE_KEY);
    expect(service.models().providers.find((p) => p.provider === 'openai')).toMatchObject({
      configured: true,
    });
    await service.close();
  });
});
