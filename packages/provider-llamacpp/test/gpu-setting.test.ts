import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLlmGatewayService } from '@metaspo/llm-gateway';
import type { LlamaCppSettings } from '@metaspo/schemas';
import { afterEach, describe, expect, it } from 'vitest';
import { createLlamaCppProviderFactory } from '../src/factory.js';
import { writeTinyGguf } from './fixtures/tiny-gguf.js';
import { request } from './helpers.js';

const dirs: string[] = [];
afterEach(() => {
  for (const dir of dirs.splice(0)) fs.rmSync(dir, { recursive: true, force: true });
});

async function answerWith(gpu: LlamaCppSettings['gpu']) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-llamacpp-gpu-'));
  dirs.push(dir);
  writeTinyGguf(path.join(dir, 'tiny.gguf'));
  const service = createLlmGatewayService({
    databaseFile: ':memory:',
    config: { llamacpp: { parallelSequences: 1, contextSize: 128, modelsDir: dir, gpu } },
    providers: [createLlamaCppProviderFactory()],
  });
  try {
    return await service.complete(request({ model: 'llamacpp:tiny.gguf', maxTokens: 2 }));
  } finally {
    await service.close();
  }
}

describe('llm.llamacpp.gpu', () => {
  it("'auto' answers on a machine without GPU binaries: it falls back to the CPU build", async () => {
    const cpu = await answerWith(undefined);
    const auto = await answerWith('auto');
    expect(auto.usage.completionTokens).toBe(2);
    expect(auto.text).toBe(cpu.text);
  });
});
