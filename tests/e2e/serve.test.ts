import fs from 'node:fs';
import path from 'node:path';
import type { AppRouter } from '@metaspo/platform';
import { createServiceClient } from '@metaspo/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCliJson, type ServeProcess, startServeProcess, tempDir } from '../support/cli-process.js';
import { rawRequest } from '../support/raw-http.js';
import { type SimProcess, startSimProcess } from '../support/sim-process.js';

const TOKEN = 'metaspo-e2e-token-0123456789';

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
}

describe('metaspo serve', () => {
  const dir = tempDir('serve');
  let sim: SimProcess;
  let server: ServeProcess | undefined;
  beforeAll(async () => {
    sim = await startSimProcess({ dataDir: path.join(dir, 'sim') });
  });
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await sim.close();
  });

  it('requires the token on every request when one is set, and answers /health', async () => {
    server = await startServeProcess(
      ['--data-dir', path.join(dir, 'token')],
      cliEnv({ METASPO_API_TOKEN: TOKEN }),
    );
    expect((await fetch(`${server.url}/health`)).status).toBe(200);
    const bare = await fetch(`${server.url}/trpc/optimizer.runs.list`);
    expect(bare.status).toBe(401);
    const wrong = createServiceClient<AppRouter>({ url: server.url, token: 'not-the-token' });
    await expect(wrong.optimizer.runs.list.query()).rejects.toMatchObject({
      data: { code: 'UNAUTHORIZED', httpStatus: 401 },
    });
    const right = createServiceClient<AppRouter>({ url: server.url, token: TOKEN });
    expect(await right.optimizer.runs.list.query()).toEqual([]);
    expect(await server.stop()).toBe(0);
    expect(server.output()).not.toContain(TOKEN);
  });

  it('answers the public host names of METASPO_PUBLIC_HOSTS and 421 to any other name', async () => {
    server = await startServeProcess(
      ['--data-dir', path.join(dir, 'hosts')],
      cliEnv({ METASPO_PUBLIC_HOSTS: 'metaspo.lab.example' }),
    );
    const port = Number(new URL(server.url).port);
    const list = (host: string) => rawRequest(port, { path: '/trpc/optimizer.runs.list', headers: { host } });
    expect((await list(`metaspo.lab.example:${port}`)).status).toBe(200);
    expect((await list(`localhost:${port}`)).status).toBe(200);
    expect((await list(`rebind.example:${port}`)).status).toBe(421);
    expect(await server.stop()).toBe(0);
  });

  it('refuses a non-loopback host without a token', async () => {
    await expect(
      startServeProcess(['--data-dir', path.join(dir, 'open')], cliEnv(), ['--host', '0.0.0.0']),
    ).rejects.toThrow(/non-loopback host "0.0.0.0" without a token/);
  });

  it('pauses a running run on SIGTERM, exits 0, and the run resumes after a restart', async () => {
    const dataDir = path.join(dir, 'shutdown');
    const env = cliEnv({ OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'sk-test-serve-e2e-key' });
    server = await startServeProcess(['--data-dir', dataDir], env);
    let client = createServiceClient<AppRouter>({ url: server.url });
    await client.datasets.fetch.mutate({ domain: 'procedural' });
    const split = await client.datasets.domains.get.query({ domain: 'procedural' });
    const run = await client.optimizer.runs.create.mutate({
      config: {
        metaTrainTasks: split.train.slice(0, 3),
        iterations: 2,
        numSystemCandidates: 3,
        numUserCandidates: 2,
        userTopK: 2,
        trainSize: 20,
        testSize: 30,
        baseModel: 'openai:default',
        optimizerModel: 'openai:default',
        concurrency: 4,
      },
    });
    await client.optimizer.runs.start.mutate({ id: run.id });
    await waitFor(async () => {
      const progress = (await client.optimizer.runs.get.query({ id: run.id })).progress;
      return progress && progress.requestsDone > 20 ? progress : undefined;
    }, 'the run to make progress');

    expect(await server.stop('SIGTERM')).toBe(0);
    expect(server.output()).toContain('shutting down');

    server = await startServeProcess(['--data-dir', dataDir], env);
    client = createServiceClient<AppRouter>({ url: server.url });
    const paused = await client.optimizer.runs.get.query({ id: run.id });
    expect(paused.status).toBe('paused');
    await client.optimizer.runs.resume.mutate({ id: run.id });
    const finished = await waitFor(
      async () => {
        const record = await client.optimizer.runs.get.query({ id: run.id });
        return record.status === 'running' ? undefined : record;
      },
      'the resumed run to finish',
      120_000,
    );
    expect(finished.status).toBe('completed');
    expect(finished.result?.optimizedSystemPrompt.length).toBeGreaterThan(0);
    expect(fs.existsSync(path.join(dataDir, 'optimizer.sqlite'))).toBe(true);
    await runCliJson(['--server', server.url, 'runs', 'show', run.id, '--json']);
  });
});
