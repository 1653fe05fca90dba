import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { createLlmGatewayService, type LlmGatewayService } from '@metaspo/llm-gateway';
import type { GatewayConfigInput } from '@metaspo/schemas';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { createLlamaCppProviderFactory } from '../src/factory.js';
import { writeTinyGguf } from './fixtures/tiny-gguf.js';
import { request } from './helpers.js';

/** What a secret file starts with; no error may contain it. */
const SECRET = 'root:x:0:0:secret-first-bytes';

let dir: string;
let modelsDir: string;
let service: LlmGatewayService | undefined;
beforeEach(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-llamacpp-refs-'));
  modelsDir = path.join(dir, 'models');
  fs.mkdirSync(path.join(modelsDir, 'sub'), { recursive: true });
  fs.writeFileSync(path.join(dir, 'secret.txt'), `${SECRET}\n`);
});
afterEach(async () => {
  await service?.close();
  service = undefined;
  fs.rmSync(dir, { recursive: true, force: true });
});

function gateway(llamacpp: NonNullable<GatewayConfigInput['llamacpp']> = {}) {
  service = createLlmGatewayService({
    databaseFile: ':memory:',
    config: { llamacpp: { parallelSequences: 1, contextSize: 128, ...llamacpp } },
    providers: [createLlamaCppProviderFactory()],
  });
  return service;
}

async function failureOf(model: string, gw: LlmGatewayService) {
  const error = await gw.complete(request({ model, maxTokens: 2 })).then(
    () => undefined,
    (e: unknown) => e as Error & { code?: string },
  );
  expect(error, `${model} was served`).toBeDefined();
  return error as Error & { code?: string };
}

describe('llamacpp model references through the API', () => {
  it('refuses a path that is not a configured model, naming the reference and never reading the file', async () => {
    const gw = gateway();
    const secretFile = path.join(dir, 'secret.txt');
    const error = await failureOf(`llamacpp:${secretFile}`, gw);
    expect(error.code).toBe('INVALID_INPUT');
    expect(error.message).toContain(`llamacpp:${secretFile} is not a configured model`);
    expect(error.message).toContain('llm.llamacpp.models');
    expect(error.message).not.toContain('root');
  });

  it('keeps names under modelsDir inside it: no .., no absolute path elsewhere, no symbolic link out', async () => {
    fs.symlinkSync(path.join(dir, 'secret.txt'), path.join(modelsDir, 'escape.gguf'));
    fs.copyFileSync(path.join(dir, 'secret.txt'), path.join(dir, 'outside.gguf'));
    const gw = gateway({ modelsDir });
    for (const model of [
      '../outside.gguf',
      path.join(dir, 'outside.gguf'),
      'escape.gguf',
      'sub/../../outside.gguf',
    ]) {
      const error = await failureOf(`llamacpp:${model}`, gw);
      expect(error.code, model).toBe('INVALID_INPUT');
      expect(error.message, model).toContain(`llamacpp:${model} is not a configured model`);
      expect(error.message, model).not.toContain('root');
    }
    expect((await failureOf('llamacpp:absent.gguf', gw)).message).toContain(
      'llamacpp:absent.gguf: no such model file under llm.llamacpp.modelsDir',
    );
  });

  it('says a file under modelsDir is not GGUF without quoting a byte of it', async () => {
    fs.copyFileSync(path.join(dir, 'secret.txt'), path.join(modelsDir, 'sub', 'notes.gguf'));
    const error = await failureOf('llamacpp:sub/notes.gguf', gateway({ modelsDir }));
    expect(error.message).toContain('cannot read model llamacpp:sub/notes.gguf as GGUF');
    expect(error.message).toContain('does not start with the GGUF magic');
    expect(error.message).not.toContain('root');
    expect(error.message).not.toContain(modelsDir);
  });

  it('sends hf: and URL references to `metaspo models pull` without touching the network', async () => {
    let hits = 0;
    const server = http.createServer((_req, res) => {
      hits += 1;
      res.end('GGUF');
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    const { port } = server.address() as { port: number };
    try {
      const gw = gateway({ modelsDir });
      for (const model of [`http://127.0.0.1:${port}/m.gguf`, 'hf:user/repo/m.gguf']) {
        const error = await failureOf(`llamacpp:${model}`, gw);
        expect(error.code).toBe('INVALID_INPUT');
        expect(error.message).toContain(`metaspo models pull ${model}`);
      }
      expect(hits).toBe(0);
    } finally {
      await new Promise<void>((resolve) => server.close(() => resolve()));
    }
  });

  it('serves a model named in llm.llamacpp.models, and the same file by its name under modelsDir', async () => {
    writeTinyGguf(path.join(modelsDir, 'sub', 'tiny.gguf'));
    const gw = gateway({ models: { tiny: path.join(modelsDir, 'sub', 'tiny.gguf') }, modelsDir });
    const byName = await gw.complete(request({ model: 'llamacpp:tiny', maxTokens: 3 }));
    const byFile = await gw.complete(request({ model: 'llamacpp:sub/tiny.gguf', maxTokens: 3 }));
    expect(byName.usage.completionTokens).toBe(3);
    // Distinct references are distinct cache entries; greedy decoding of one file gives one text.
    expect(byFile.cached).toBe(false);
    expect(byFile.text).toBe(byName.text);
  });

  it('reports llamacpp as configured only when it has models', async () => {
    const status = (gw: LlmGatewayService) => gw.models().providers.find((p) => p.provider === 'llamacpp');
    expect(status(gateway())).toMatchObject({
      configured: false,
      missing: expect.stringContaining('llm.llamacpp'),
    });
    await service?.close();
    expect(status(gateway({ modelsDir }))).toMatchObject({ configured: true });
  });
});
