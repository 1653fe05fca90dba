import { describe, expect, it } from 'vitest';
import { formatModelRef, ModelRefSchema, parseModelRef } from './model-ref.js';

describe('model references', () => {
  it.each([
    ['openai:gpt-4o-mini', { provider: 'openai', model: 'gpt-4o-mini' }],
    ['ollama:llama3.2:3b', { provider: 'ollama', model: 'llama3.2:3b' }],
    ['llamacpp:hf:user/repo/model.gguf', { provider: 'llamacpp', model: 'hf:user/repo/model.gguf' }],
    [
      'openai-compatible@vllm:meta-llama/Llama-3.2-3B-Instruct',
      { provider: 'openai-compatible', endpoint: 'vllm', model: 'meta-llama/Llama-3.2-3B-Instruct' },
    ],
    ['sim:default', { provider: 'sim', model: 'default' }],
  ])('parses %s and formats it back', (ref, parsed) => {
    expect(parseModelRef(ref)).toEqual(parsed);
    expect(formatModelRef(parseModelRef(ref))).toBe(ref);
  });

  it('names the unknown provider and the accepted ones', () => {
    expect(() => parseModelRef('mistral:large')).toThrow(
      'model reference "mistral:large" names unknown provider "mistral": expected one of openai, anthropic',
    );
  });

  it('rejects a reference without a model', () => {
    expect(() => parseModelRef('gpt-4o')).toThrow('expected "provider:model"');
    const parsed = ModelRefSchema.safeParse('openai');
    expect(parsed.success).toBe(false);
    expect(parsed.error?.issues[0]?.message).toMatch(/malformed/);
  });
});
