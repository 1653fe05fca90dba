import { parseModelRef } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { cacheKeyOf } from '../src/call-pipeline.js';
import { request } from './helpers.js';

const keyOf = (model: string, input: Parameters<typeof request>[0] = {}) =>
  cacheKeyOf({ ref: parseModelRef(model) }, request({ model, ...input }));

describe('the response cache key', () => {
  const base = keyOf('openai:gpt-4o-mini');

  it('is the same for the same request, from any run, tag or timeout', () => {
    expect(keyOf('openai:gpt-4o-mini')).toBe(base);
    expect(keyOf('openai:gpt-4o-mini', { runId: 'other', tag: 'meta', timeoutMs: 5_000 })).toBe(base);
    expect(base).toMatch(/^[0-9a-f]{64}$/);
  });

  it('changes with every field that decides the answer', () => {
    const variants = {
      provider: keyOf('ollama:gpt-4o-mini'),
      endpoint: keyOf('openai@eu:gpt-4o-mini'),
      model: keyOf('openai:gpt-4o'),
      temperature: keyOf('openai:gpt-4o-mini', { temperature: 0.7 }),
      topP: keyOf('openai:gpt-4o-mini', { topP: 0.9 }),
      maxTokens: keyOf('openai:gpt-4o-mini', { maxTokens: 64 }),
      stop: keyOf('openai:gpt-4o-mini', { stop: ['\n'] }),
      seed: keyOf('openai:gpt-4o-mini', { seed: 7 }),
      sampleIndex: keyOf('openai:gpt-4o-mini', { sampleIndex: 1 }),
      content: keyOf('openai:gpt-4o-mini', { content: 'What is 3 + 3?' }),
      role: keyOf('openai:gpt-4o-mini', {
        messages: [{ role: 'system', content: 'What is 2 + 2? Answer with a number.' }],
      }),
      'an extra message': keyOf('openai:gpt-4o-mini', {
        messages: [
          { role: 'system', content: 'Be brief.' },
          { role: 'user', content: 'What is 2 + 2? Answer with a number.' },
        ],
      }),
    };
    for (const [field, key] of Object.entries(variants)) expect(key, field).not.toBe(base);
    expect(new Set(Object.values(variants)).size).toBe(Object.keys(variants).length);
  });

  it('keeps fields apart: a message moved between roles is a different request', () => {
    const systemFirst = keyOf('openai:gpt-4o-mini', {
      messages: [
        { role: 'system', content: 'A' },
        { role: 'user', content: 'B' },
      ],
    });
    const userFirst = keyOf('openai:gpt-4o-mini', {
      messages: [
        { role: 'user', content: 'A' },
        { role: 'system', content: 'B' },
      ],
    });
    expect(systemFirst).not.toBe(userFirst);
  });
});
