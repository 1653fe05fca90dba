import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText, streamText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  createAnswerKey,
  emptyBatchStats,
  type SimServer,
  SYNTHETIC_TASKS,
  startSimServer,
  syntheticEntries,
} from '../src/index.js';

const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 20));
const answerKey = createAnswerKey(entries);
const question = entries.find((e) => e.taskId === 'anatomy')!;
const userPrompt = `<Question>${question.question}</Question>\nGive the letter of the correct option inside <answer></answer>.`;

describe('loopback server through the official AI SDK clients', () => {
  let server: SimServer;
  beforeAll(async () => {
    server = await startSimServer({ answerKey });
  });
  afterAll(() => server.close());

  it('serves OpenAI chat completions (non-streaming) with usage, and counts them', async () => {
    server.resetStats();
    const openai = createOpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test' });
    const result = await generateText({
      model: openai.chat('sim:default'),
      system: 'You are a helpful assistant.',
      prompt: userPrompt,
      temperature: 0,
    });
    expect(result.text).toMatch(/<answer>[ABCD]<\/answer>/);
    expect(result.finishReason).toBe('stop');
    expect(result.usage.inputTokens).toBeGreaterThan(10);
    expect(result.usage.outputTokens).toBeGreaterThan(0);
    expect(server.stats()).toEqual({
      requests: 1,
      answered: 1,
      faults: {},
      byEndpoint: { 'POST /v1/chat/completions': 1 },
      batches: emptyBatchStats(),
    });
  });

  it('streams OpenAI chat completions as server-sent events with a final usage chunk', async () => {
    const openai = createOpenAI({ baseURL: `${server.url}/v1`, apiKey: 'test' });
    const request = { system: 'Think step by step.', prompt: userPrompt, temperature: 0 };
    const streamed = streamText({ model: openai.chat('sim:default'), ...request });
    const deltas: string[] = [];
    for await (const delta of streamed.textStream) deltas.push(delta);
    expect(deltas.length).toBeGreaterThan(2);
    const whole = await generateText({ model: openai.chat('sim:default'), ...request });
    expect(deltas.join('')).toBe(whole.text);
    expect((await streamed.usage).outputTokens).toBe(whole.usage.outputTokens);
  });

  it('serves Anthropic messages, plain and streamed', async () => {
    const anthropic = createAnthropic({ baseURL: `${server.url}/v1`, apiKey: 'test' });
    const request = {
      system: 'You are a helpful assistant.',
      prompt: userPrompt,
      temperature: 0,
      maxOutputTokens: 256,
    };
    const result = await generateText({ model: anthropic('sim:strong'), ...request });
    expect(result.text).toMatch(/<answer>[ABCD]<\/answer>/);
    expect(result.usage.inputTokens).toBeGreaterThan(10);
    expect(result.finishReason).toBe('stop');
    const streamed = streamText({ model: anthropic('sim:strong'), ...request });
    expect(await streamed.text).toBe(result.text);
    expect((await streamed.usage).outputTokens).toBe(result.usage.outputTokens);
    const cut = await generateText({ model: anthropic('sim:strong'), ...request, maxOutputTokens: 2 });
    expect(cut.finishReason).toBe('length');
  });

  it('answers the same request the same way over HTTP as in-process, per sample index', async () => {
    const body = (sampleIndex: number) =>
      JSON.stringify({
        model: 'sim:default',
        messages: [{ role: 'user', content: userPrompt }],
        temperature: 1,
        sample_index: sampleIndex,
      });
    const texts = await Promise.all(
      [0, 0, 1, 2, 3, 4, 5, 6].map(async (i) => {
        const response = await fetch(`${server.url}/v1/chat/completions`, { method: 'POST', body: body(i) });
        return ((await response.json()) as { choices: Array<{ message: { content: string } }> }).choices[0]!
          .message.content;
      }),
    );
    expect(texts[0]).toBe(texts[1]);
    expect(new Set(texts).size).toBeGreaterThan(1);
  });

  it('lists the models and rejects unknown ones and bad bodies in the provider error shape', async () => {
    const models = (await (await fetch(`${server.url}/v1/models`)).json()) as { data: Array<{ id: string }> };
    expect(models.data.map((m) => m.id)).toEqual(['sim:default', 'sim:weak', 'sim:strong']);
    const unknown = await fetch(`${server.url}/v1/chat/completions`, {
      method: 'POST',
      body: JSON.stringify({ model: 'sim:huge', messages: [{ role: 'user', content: 'hi' }] }),
    });
    expect(unknown.status).toBe(404);
    expect(((await unknown.json()) as { error: { message: string } }).error.message).toMatch(/sim:huge/);
    const bad = await fetch(`${server.url}/v1/messages`, { method: 'POST', body: '{not json' });
    expect(bad.status).toBe(400);
    expect(await bad.json()).toMatchObject({ type: 'error', error: { type: 'invalid_request_error' } });
  });

  it('serves /stats and resets it with POST /stats/reset', async () => {
    await fetch(`${server.url}/v1/models`);
    const stats = (await (await fetch(`${server.url}/stats`)).json()) as {
      byEndpoint: Record<string, number>;
    };
    expect(stats.byEndpoint['GET /v1/models']).toBeGreaterThan(0);
    const reset = await fetch(`${server.url}/stats/reset`, { method: 'POST' });
    expect(await reset.json()).toEqual({
      requests: 0,
      answered: 0,
      faults: {},
      byEndpoint: {},
      batches: emptyBatchStats(),
    });
    expect(server.stats().requests).toBe(0);
  });

  it('answers a latency server no sooner than its latency, with the same answer', async () => {
    const slow = await startSimServer({ answerKey, latencyMs: 60 });
    try {
      const body = JSON.stringify({
        model: 'sim:default',
        messages: [{ role: 'user', content: userPrompt }],
        temperature: 0,
      });
      const post = (url: string) =>
        fetch(`${url}/v1/chat/completions`, { method: 'POST', body }).then((r) => r.json());
      const started = performance.now();
      const late = (await post(slow.url)) as { choices: unknown };
      // Node timers run on a millisecond clock read at the start of a loop turn: up to 1 ms early.
      expect(performance.now() - started).toBeGreaterThanOrEqual(59);
      const prompt = (await post(server.url)) as { choices: unknown };
      expect(late.choices).toEqual(prompt.choices);
    } finally {
      await slow.close();
    }
  });
});
