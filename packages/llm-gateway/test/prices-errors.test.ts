import { parseModelRef } from '@metaspo/schemas';
import { APICallError } from 'ai';
import { describe, expect, it } from 'vitest';
import { classifyProviderError, parseRetryAfter } from '../src/errors.js';
import { costOf, createPriceTable } from '../src/prices.js';
import { FAKE_KEY } from './helpers.js';

describe('price table', () => {
  const table = createPriceTable({
    'openai-compatible@vllm:llama': { input: 1, output: 2 },
    'gpt-4o': { input: 9, output: 9 },
  });
  const price = (ref: string) => table.priceOf(parseModelRef(ref), ref);

  it('matches dated versions to the longest known family name', () => {
    expect(price('openai:gpt-4o-mini-2024-07-18')).toEqual({ input: 0.15, output: 0.6 });
    expect(price('anthropic:claude-3-5-haiku-latest')).toEqual({ input: 0.8, output: 4 });
    expect(price('google:gemini-2.0-flash-lite')).toEqual({ input: 0.075, output: 0.3 });
  });

  it('lets config override by reference or bare model name, and local models are free', () => {
    expect(price('openai-compatible@vllm:llama')).toEqual({ input: 1, output: 2 });
    expect(price('openai:gpt-4o')).toEqual({ input: 9, output: 9 });
    expect(price('sim:default')).toEqual({ input: 0, output: 0 });
    expect(price('ollama:llama3.2:3b')).toEqual({ input: 0, output: 0 });
  });

  it('gives unknown models no price, so their cost is null rather than 0', () => {
    expect(price('openai:my-finetune')).toBeNull();
    expect(price('openai-compatible@other:llama')).toBeNull();
    expect(costOf(null, { promptTokens: 10, completionTokens: 10 })).toBeNull();
    expect(
      costOf({ input: 0.15, output: 0.6 }, { promptTokens: 1_000_000, completionTokens: 500_000 }),
    ).toBeCloseTo(0.45);
  });
});

describe('retry-after', () => {
  it('reads milliseconds, seconds and HTTP dates', () => {
    const now = Date.parse('2026-01-01T00:00:00Z');
    expect(parseRetryAfter({ 'retry-after-ms': '250', 'retry-after': '9' }, now)).toBe(250);
    expect(parseRetryAfter({ 'Retry-After': '2' }, now)).toBe(2_000);
    expect(parseRetryAfter({ 'retry-after': 'Thu, 01 Jan 2026 00:00:03 GMT' }, now)).toBe(3_000);
    expect(parseRetryAfter({ 'retry-after': 'soon' }, now)).toBeUndefined();
    expect(parseRetryAfter(undefined, now)).toBeUndefined();
  });
});

describe('provider error classification', () => {
  const apiError = (statusCode: number, headers: Record<string, string> = {}) =>
    new APICallError({
      message: `upstream said no to key ${FAKE_KEY}`,
      url: 'http://127.0.0.1/v1/chat/completions',
      requestBodyValues: {},
      statusCode,
      responseHeaders: headers,
    });
  const where = { provider: 'openai', model: 'openai:gpt-4o-mini' };

  it.each([
    [401, 'auth', false],
    [403, 'auth', false],
    [400, 'bad-request', false],
    [404, 'not-found', false],
    [408, 'timeout', true],
    [409, 'server', true],
    [429, 'rate-limit', true],
    [503, 'server', true],
  ])('maps HTTP %i to %s (retryable: %s)', (status, kind, retryable) => {
    const error = classifyProviderError(apiError(status), where);
    expect(error).toMatchObject({ kind, retryable, status });
    expect(error.message).toContain(`HTTP ${status}`);
    expect(error.message).toContain('openai model "openai:gpt-4o-mini"');
    expect(error.message).not.toContain(FAKE_KEY);
  });

  it('keeps the retry-after the server sent and treats connection errors as network', () => {
    expect(classifyProviderError(apiError(429, { 'retry-after': '1' }), where).retryAfterMs).toBe(1_000);
    const refused = Object.assign(new TypeError('fetch failed'), { cause: { code: 'ECONNREFUSED' } });
    expect(classifyProviderError(refused, where)).toMatchObject({ kind: 'network', retryable: true });
  });
});
