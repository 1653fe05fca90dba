import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { createServiceClient } from '@metaspo/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLlmRouter, type LlmRouter } from '../src/router.js';
import { createLlmGatewayService } from '../src/service.js';
import { simProviders } from './helpers.js';

const SECRET = 'sk-local-secret-4242';

/** A loopback server answering `GET /v1/models` with `status`, recording the headers it was sent. */
async function startModelsServer(status: number) {
  const seen: Array<{ url: string; authorization: string | undefined }> = [];
  const server = http.createServer((req, res) => {
    seen.push({ url: req.url ?? '', authorization: req.headers.authorization });
    res.writeHead(status, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ object: 'list', data: [] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    seen,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/** A loopback address nothing listens on: a port the OS handed out, then released. */
async function closedPortUrl(): Promise<string> {
  const server = http.createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise<void>((resolve) => server.close(() => resolve()));
  return `http://127.0.0.1:${port}/v1`;
}

describe('llm.checkProviders', () => {
  let up: Awaited<ReturnType<typeof startModelsServer>>;
  let refusing: Awaited<ReturnType<typeof startModelsServer>>;
  let down: string;

  beforeAll(async () => {
    up = await startModelsServer(200);
    refusing = await startModelsServer(401);
    down = await closedPortUrl();
  });
  afterAll(async () => {
    await up.close();
    await refusing.close();
  });

  const gateway = () =>
    createLlmGatewayService({
      databaseFile: ':memory:',
      providers: simProviders(),
      env: { OPENAI_API_KEY: 'sk-openai-not-shown', LOCAL_KEY: SECRET },
      config: {
        providers: { ollama: { baseUrl: down } },
        endpoints: {
          local: { baseUrl: up.url, apiKeyEnv: 'LOCAL_KEY' },
          locked: { baseUrl: refusing.url },
        },
      },
    });

  it('probes local servers, asks each registered factory and never shows a key', async () => {
    const service = gateway();
    try {
      const client = createServiceClient<LlmRouter>({ router: createLlmRouter(service) });
      const { providers } = await client.checkProviders.query();
      const byName = new Map(
        providers.map((p) => [p.endpoint ? `${p.provider}@${p.endpoint}` : p.provider, p]),
      );
      expect(byName.get('sim')?.state).toBe('ready');
      expect(byName.get('openai')?.state).toBe('key-set');
      expect(byName.get('anthropic')).toMatchObject({
        state: 'not-configured',
        detail: expect.stringContaining('ANTHROPIC_API_KEY'),
      });
      expect(byName.get('ollama')).toMatchObject({ state: 'unreachable', latencyMs: null });
      expect(byName.get('ollama')?.detail).toContain(new URL(down).origin);
      expect(byName.get('openai-compatible@local')).toMatchObject({ state: 'ready' });
      expect(byName.get('openai-compatible@local')?.latencyMs).toBeGreaterThanOrEqual(0);
      expect(byName.get('openai-compatible@locked')).toMatchObject({
        state: 'error',
        detail: expect.stringContaining('HTTP 401'),
      });
      // No llama.cpp factory was registered: listed, with who adds it.
      expect(byName.get('llamacpp')).toMatchObject({
        state: 'not-configured',
        detail: 'this gateway has no llamacpp provider (the composition root registers its factory)',
      });
      // The key went to the server in its header, and nowhere into the answer.
      expect(up.seen).toEqual([{ url: '/v1/models', authorization: `Bearer ${SECRET}` }]);
      const text = JSON.stringify(providers);
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain('sk-openai-not-shown');
    } finally {
      await service.close();
    }
  });
});
