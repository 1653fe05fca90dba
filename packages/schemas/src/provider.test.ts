import { describe, expect, it } from 'vitest';
import { GatewayConfigSchema } from './gateway-config.js';
import { ProviderError } from './provider.js';

describe('the provider contract', () => {
  it('a ProviderError carries its kind, and is not retryable unless it says so', () => {
    const config = new ProviderError({ kind: 'config', message: 'no such model' });
    expect(config).toBeInstanceOf(Error);
    expect({ name: config.name, kind: config.kind, retryable: config.retryable }).toEqual({
      name: 'ProviderError',
      kind: 'config',
      retryable: false,
    });
    expect(new ProviderError({ kind: 'server', message: 'busy', retryable: true }).retryable).toBe(true);
  });

  it('llm.llamacpp.gpu is off unless set, and only a known backend is accepted', () => {
    expect(GatewayConfigSchema.parse({}).llamacpp.gpu).toBeUndefined();
    expect(GatewayConfigSchema.parse({ llamacpp: { gpu: 'cuda' } }).llamacpp.gpu).toBe('cuda');
    expect(GatewayConfigSchema.parse({ llamacpp: { gpu: false } }).llamacpp.gpu).toBe(false);
    expect(GatewayConfigSchema.safeParse({ llamacpp: { gpu: 'rocm' } }).success).toBe(false);
  });
});
