import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLlmGatewayService } from '@metaspo/llm-gateway';
import type { GatewayConfigInput } from '@metaspo/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlamaCppProviderFactory } from '../src/factory.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

function modelsDir(): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-gguf-'));
  dirs.push(dir);
  return dir;
}

async function llamaCppCheck(llamacpp: NonNullable<GatewayConfigInput['llamacpp']>) {
  const service = createLlmGatewayService({
    databaseFile: ':memory:',
    config: { llamacpp },
    providers: [createLlamaCppProviderFactory()],
  });
  try {
    const { providers } = await service.checkProviders();
    const status = service.models().providers.find((p) => p.provider === 'llamacpp');
    return { check: providers.find((p) => p.provider === 'llamacpp'), status };
  } finally {
    await service.close();
  }
}

describe('the llama.cpp factory in the gateway', () => {
  it('is not configured without models, and says which settings to write', async () => {
    const { check, status } = await llamaCppCheck({});
    const missing = 'no models: set llm.llamacpp.models (name: path) or llm.llamacpp.modelsDir';
    expect(status).toMatchObject({ configured: false, missing });
    expect(check).toMatchObject({ state: 'not-configured', detail: missing });
  });

  it('is an error when modelsDir holds no .gguf file: configured, but nothing to load', async () => {
    const dir = modelsDir();
    fs.writeFileSync(path.join(dir, 'notes.txt'), 'not a model');
    const { check, status } = await llamaCppCheck({ modelsDir: dir });
    expect(status).toMatchObject({ configured: true });
    expect(check).toEqual({
      provider: 'llamacpp',
      state: 'error',
      detail: 'no model file found at llm.llamacpp.models paths or under llm.llamacpp.modelsDir',
      latencyMs: null,
    });
  });

  it('is ready once a .gguf file is under modelsDir or a named model file exists', async () => {
    const dir = modelsDir();
    fs.writeFileSync(path.join(dir, 'tiny.gguf'), 'GGUF');
    expect((await llamaCppCheck({ modelsDir: dir })).check).toMatchObject({
      state: 'ready',
      detail: '1 model file(s) found',
    });
    const named = await llamaCppCheck({
      models: { tiny: path.join(dir, 'tiny.gguf'), gone: '/nowhere.gguf' },
    });
    expect(named.check).toMatchObject({ state: 'ready', detail: '1 model file(s) found' });
  });
});
