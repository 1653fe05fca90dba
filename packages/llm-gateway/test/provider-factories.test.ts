import { type ModelProvider, ProviderError, type ProviderFactory } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { createLlmGatewayService } from '../src/service.js';
import { request, simProviders } from './helpers.js';

/**
 * A provider registered the way `@metaspo/provider-llamacpp` registers itself: it echoes the
 * model and the question, counts builds and calls, and throws what `fail` says for a model.
 */
function echoFactory(fail: (model: string) => Error | undefined = () => undefined) {
  const seen = { builds: 0, calls: 0 };
  const factory: ProviderFactory = {
    provider: 'llamacpp',
    plan(ref) {
      if (ref.model.startsWith('missing')) return { ok: false, missing: 'the model file is not there' };
      // Every model shares one endpoint, as one loaded file serves every reference to it.
      return {
        ok: true,
        key: 'echo',
        limits: { concurrency: 2 },
        build: (): ModelProvider => {
          seen.builds += 1;
          return {
            provider: 'llamacpp',
            endpointId: 'llamacpp:echo',
            async complete(input) {
              seen.calls += 1;
              const failure = fail(input.model);
              if (failure) throw failure;
              const question = input.messages.at(-1)?.content ?? '';
              return {
                text: `${input.model} heard: ${question}`,
                usage: { promptTokens: 3, completionTokens: 2 },
                finishReason: 'stop',
              };
            },
          };
        },
      };
    },
    statusRefs: () => [{ provider: 'llamacpp', model: '<name>' }],
    check: async () => ({ state: 'ready', detail: 'echo is always ready', latencyMs: null }),
  };
  return { factory, seen };
}

describe('provider factories given to the gateway', () => {
  it('routes their references to them, one endpoint per planned key, with the planned limits', async () => {
    const echo = echoFactory();
    const service = createLlmGatewayService({ databaseFile: ':memory:', providers: [echo.factory] });
    try {
      const outcomes = await service.completeBatch([
        request({ model: 'llamacpp:a', content: 'one' }),
        request({ model: 'llamacpp:b', content: 'two' }),
      ]);
      expect(outcomes.map((o) => o.ok && o.result.text)).toEqual(['a heard: one', 'b heard: two']);
      expect(echo.seen).toEqual({ builds: 1, calls: 2 });
      expect(
        service
          .usage()
          .byModel.map((m) => m.model)
          .sort(),
      ).toEqual(['llamacpp:a', 'llamacpp:b']);
      const { providers } = await service.checkProviders();
      expect(providers.find((p) => p.provider === 'llamacpp')).toEqual({
        provider: 'llamacpp',
        state: 'ready',
        detail: 'echo is always ready',
        latencyMs: null,
      });
      expect(service.checkModels(['llamacpp:missing-one']).models[0]).toMatchObject({
        usable: false,
        problem: 'provider llamacpp is not configured: the model file is not there',
      });
    } finally {
      await service.close();
    }
  });

  it('refuses a provider nobody registered, naming it, and lists it as not configured', async () => {
    const service = createLlmGatewayService({ databaseFile: ':memory:' });
    try {
      const expected =
        'provider sim is not configured: this gateway has no sim provider (the composition root registers its factory)';
      await expect(service.complete(request({ model: 'sim:default' }))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: expected,
      });
      expect(service.checkModels(['sim:default']).models[0]).toMatchObject({
        usable: false,
        problem: expected,
      });
      expect(service.models().providers.find((p) => p.provider === 'sim')).toMatchObject({
        configured: false,
      });
      expect(service.health().answerKeyLoaded).toBe(false);
    } finally {
      await service.close();
    }
  });

  it("reports a factory's model problem before any call: an unknown simulator variant", () => {
    const service = createLlmGatewayService({ databaseFile: ':memory:', providers: simProviders() });
    const [typo, known] = service.checkModels(['sim:defualt', 'sim:weak']).models;
    expect(typo).toMatchObject({ usable: false, provider: 'sim' });
    expect(typo?.problem).toMatch(/^unknown simulator model "defualt": expected one of sim:default/);
    expect(known).toMatchObject({ usable: true, provider: 'sim' });
    return service.close();
  });

  it('keeps the kind of a ProviderError: a config error is not retried, a retryable one is', async () => {
    const echo = echoFactory((model) =>
      model === 'bad'
        ? new ProviderError({ kind: 'config', message: 'llamacpp:bad cannot load' })
        : model === 'flaky'
          ? new ProviderError({ kind: 'server', message: 'busy', retryable: true })
          : undefined,
    );
    const service = createLlmGatewayService({
      databaseFile: ':memory:',
      providers: [echo.factory],
      config: { retries: { maxAttempts: 3, baseDelayMs: 1, maxDelayMs: 2 } },
    });
    try {
      await expect(service.complete(request({ model: 'llamacpp:bad' }))).rejects.toMatchObject({
        code: 'INVALID_INPUT',
        message: 'llamacpp:bad cannot load',
      });
      expect(echo.seen.calls).toBe(1);
      const [flaky] = await service.completeBatch([request({ model: 'llamacpp:flaky' })]);
      expect(flaky).toMatchObject({ ok: false, error: { kind: 'server' } });
      expect(echo.seen.calls).toBe(4);
    } finally {
      await service.close();
    }
  });

  it('lets a given factory replace a built-in one of the same name', async () => {
    const ollama: ProviderFactory = {
      provider: 'ollama',
      plan: () => ({ ok: false, missing: 'replaced in this test' }),
    };
    const service = createLlmGatewayService({ databaseFile: ':memory:', providers: [ollama] });
    try {
      expect(service.models().providers.find((p) => p.provider === 'ollama')).toMatchObject({
        configured: false,
        missing: 'replaced in this test',
      });
    } finally {
      await service.close();
    }
  });
});
