import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createAnthropic } from '@ai-sdk/anthropic';
import { createOpenAI } from '@ai-sdk/openai';
import { generateText } from 'ai';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { LlmCallError } from '../src/errors.js';
import { createAiSdkProvider } from '../src/providers/ai-sdk.js';
import type { ProviderCallInput } from '../src/providers/types.js';
import { FAKE_KEY } from './helpers.js';

interface Reply {
  status: number;
  headers?: Record<string, string>;
  body: unknown;
}

/** A loopback server that records each request body and answers with the next queued reply. */
async function startRecordingServer() {
  const bodies: unknown[] = [];
  const replies: Reply[] = [];
  const server = http.createServer((req, res) => {
    let raw = '';
    req.on('data', (chunk) => {
      raw += chunk;
    });
    req.on('end', () => {
      bodies.push(JSON.parse(raw));
      const reply = replies.shift() ?? { status: 500, body: { error: { message: 'no reply queued' } } };
      res.writeHead(reply.status, { 'content-type': 'application/json', ...reply.headers });
      res.end(JSON.stringify(reply.body));
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    bodies,
    replies,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

function chatCompletion(options: { content: string; finish: string; usage?: boolean }) {
  return {
    id: 'chatcmpl-1',
    object: 'chat.completion',
    created: 1,
    model: 'm',
    choices: [
      { index: 0, message: { role: 'assistant', content: options.content }, finish_reason: options.finish },
    ],
    ...(options.usage === false
      ? {}
      : { usage: { prompt_tokens: 12, completion_tokens: 3, total_tokens: 15 } }),
  };
}

const INPUT: ProviderCallInput = {
  model: 'gpt-test',
  messages: [
    { role: 'system', content: 'You are terse.' },
    { role: 'user', content: 'What is 2 + 2?' },
    { role: 'assistant', content: '4' },
    { role: 'user', content: 'And 3 + 3?' },
  ],
  temperature: 0.7,
  topP: 0.9,
  maxTokens: 32,
  stop: ['\n\n'],
  seed: 42,
  sampleIndex: 3,
  signal: new AbortController().signal,
};

describe('AI SDK provider calling the language model directly', () => {
  let server: Awaited<ReturnType<typeof startRecordingServer>>;
  beforeAll(async () => {
    server = await startRecordingServer();
  });
  afterAll(async () => {
    await server.close();
  });

  const openai = () => createOpenAI({ apiKey: FAKE_KEY, baseURL: server.url });
  const provider = () =>
    createAiSdkProvider({
      provider: 'openai',
      endpointId: 'openai:test',
      languageModel: (m) => openai().chat(m),
    });

  it('sends the same request body generateText sends, with the sample seed', async () => {
    server.replies.push({ status: 200, body: chatCompletion({ content: '6', finish: 'stop' }) });
    server.replies.push({ status: 200, body: chatCompletion({ content: '6', finish: 'stop' }) });
    const direct = await provider().complete(INPUT);
    const seed = server.bodies.at(-1) as { seed: number };
    await generateText({
      model: openai().chat(INPUT.model),
      messages: INPUT.messages,
      allowSystemInMessages: true,
      temperature: 0.7,
      topP: 0.9,
      maxOutputTokens: 32,
      stopSequences: ['\n\n'],
      seed: seed.seed,
      maxRetries: 0,
    });
    const [viaDirect, viaGenerateText] = server.bodies.slice(-2);
    expect(viaDirect).toEqual(viaGenerateText);
    expect(viaDirect).toMatchObject({ temperature: 0.7, top_p: 0.9, max_tokens: 32, stop: ['\n\n'] });
    expect(seed.seed).not.toBe(42);
    expect(direct).toEqual({
      text: '6',
      usage: { promptTokens: 12, completionTokens: 3 },
      finishReason: 'stop',
    });
  });

  it('keeps the caller seed for the first sample and omits unset settings', async () => {
    server.replies.push({ status: 200, body: chatCompletion({ content: 'ok', finish: 'stop' }) });
    await provider().complete({
      model: 'gpt-test',
      messages: [{ role: 'user', content: 'hi' }],
      temperature: 0,
      seed: 7,
      sampleIndex: 0,
      signal: new AbortController().signal,
    });
    const body = server.bodies.at(-1) as Record<string, unknown>;
    expect(body.seed).toBe(7);
    expect(body).not.toHaveProperty('top_p');
    expect(body).not.toHaveProperty('max_tokens');
    expect(body).not.toHaveProperty('stop');
  });

  it.each([
    ['length', 'length'],
    ['content_filter', 'content-filter'],
    ['tool_calls', 'other'],
  ])('maps finish reason %s to %s and missing usage to zero', async (wire, expected) => {
    server.replies.push({ status: 200, body: chatCompletion({ content: 'x', finish: wire, usage: false }) });
    const result = await provider().complete(INPUT);
    expect(result.finishReason).toBe(expected);
    expect(result.usage).toEqual({ promptTokens: 0, completionTokens: 0 });
  });

  it('joins the text parts of an anthropic answer', async () => {
    server.replies.push({
      status: 200,
      body: {
        id: 'msg_1',
        type: 'message',
        role: 'assistant',
        model: 'claude-test',
        content: [
          { type: 'text', text: 'Hello, ' },
          { type: 'text', text: 'world' },
        ],
        stop_reason: 'max_tokens',
        stop_sequence: null,
        usage: { input_tokens: 5, output_tokens: 2 },
      },
    });
    const anthropic = createAnthropic({ apiKey: FAKE_KEY, baseURL: server.url });
    const result = await createAiSdkProvider({
      provider: 'anthropic',
      endpointId: 'anthropic:test',
      languageModel: (m) => anthropic(m),
    }).complete(INPUT);
    expect(result).toEqual({
      text: 'Hello, world',
      usage: { promptTokens: 5, completionTokens: 2 },
      finishReason: 'length',
    });
    expect(server.bodies.at(-1)).toMatchObject({ system: [{ type: 'text', text: 'You are terse.' }] });
  });

  it('classifies an HTTP error with its retry-after and makes exactly one request', async () => {
    const before = server.bodies.length;
    server.replies.push({
      status: 429,
      headers: { 'retry-after': '2' },
      body: { error: { message: 'slow down' } },
    });
    const error = await provider()
      .complete(INPUT)
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmCallError);
    expect(error).toMatchObject({ kind: 'rate-limit', retryable: true, status: 429, retryAfterMs: 2000 });
    expect((error as Error).message).not.toContain(FAKE_KEY);
    expect(server.bodies.length).toBe(before + 1);
  });

  it('rejects with a classified error when the caller has already aborted', async () => {
    const before = server.bodies.length;
    const aborted = new AbortController();
    aborted.abort();
    const error = await provider()
      .complete({ ...INPUT, signal: aborted.signal })
      .catch((e: unknown) => e);
    expect(error).toBeInstanceOf(LlmCallError);
    expect(server.bodies.length).toBe(before);
  });
});
