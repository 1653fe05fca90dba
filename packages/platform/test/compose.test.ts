import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, createServiceClient, type ServedRouter, serve } from '@metaspo/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  type AppRouter,
  type ComposedPlatform,
  composePlatform,
  DATABASE_FILES,
  SERVICE_URL_ENV,
  type WholePlatform,
} from '../src/index.js';

const logger = createLogger({ name: 'platform-test', level: 'warn' });
const tempDir = () => fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-platform-'));
/** Nothing listens on port 1: a client sent here fails, so a test passing proves it went elsewhere. */
const DEAD_URL = 'http://127.0.0.1:1';

describe('composePlatform mode all', () => {
  const dataDir = tempDir();
  let platform: WholePlatform;
  beforeAll(() => {
    platform = composePlatform({ mode: 'all', dataDir, logger, env: {} });
  });
  afterAll(() => platform.close());

  it('serves every service through the one AppRouter, on one SQLite file per service', async () => {
    const app = createServiceClient<AppRouter>({ router: platform.router });
    const split = await app.datasets.domains.get.query({ domain: 'procedural' });
    expect(split.train.length).toBeGreaterThan(0);
    expect(await app.optimizer.runs.list.query()).toEqual([]);
    expect((await app.llm.usage.query({})).totals.calls).toBe(0);
    expect(Object.keys(platform.services).sort()).toEqual(['datasets', 'evaluator', 'llm', 'optimizer']);
    for (const file of Object.values(DATABASE_FILES))
      expect(fs.existsSync(path.join(dataDir, file))).toBe(true);
  });

  it('answers sim: models from the registry gold answers (the default provider set)', async () => {
    const app = createServiceClient<AppRouter>({ router: platform.router });
    const [taskId] = (await app.datasets.domains.get.query({ domain: 'procedural' })).test;
    const spec = await app.datasets.tasks.get.query({ id: taskId! });
    const result = await app.evaluator.evaluate.mutate({
      systemPrompt: 'You are a careful assistant. Think step by step, then answer.',
      userPrompt: spec.initialUserPrompt,
      taskId: taskId!,
      split: 'test',
      n: 20,
      seed: 3,
      model: 'sim:default',
    });
    expect(result.n).toBe(20);
    expect(result.correct).toBeGreaterThan(0);
    expect((await app.llm.health.query()).answerKeyLoaded).toBe(true);
  });
});

describe('composePlatform with one service', () => {
  let backend: WholePlatform;
  let served: ServedRouter;
  const opened: ComposedPlatform[] = [];
  beforeAll(async () => {
    backend = composePlatform({ mode: 'all', dataDir: tempDir(), logger, env: {} });
    served = await serve(backend.router, { port: 0, logger });
  });
  afterAll(async () => {
    for (const platform of opened) await platform.close();
    await served.close(1_000);
    await backend.close();
  });

  it('names the variable of a dependency it has no URL for', () => {
    expect(() => composePlatform({ mode: 'evaluator', dataDir: ':memory:', logger, env: {} })).toThrow(
      `${SERVICE_URL_ENV.llm} is not set: it must give the URL of the llm service`,
    );
  });

  it('reaches its dependencies at serviceUrls before the METASPO_*_URL variables', async () => {
    const env = { [SERVICE_URL_ENV.llm]: DEAD_URL, [SERVICE_URL_ENV.datasets]: DEAD_URL };
    const evaluatorOnly = composePlatform({
      mode: 'evaluator',
      dataDir: ':memory:',
      logger,
      env,
      serviceUrls: { llm: served.url, datasets: served.url },
    });
    opened.push(evaluatorOnly);
    expect(Object.keys(evaluatorOnly.services)).toEqual(['evaluator']);
    const evaluator = createServiceClient({ router: evaluatorOnly.router }).evaluator;
    const remote = createServiceClient<AppRouter>({ url: served.url });
    const [taskId] = (await remote.datasets.domains.get.query({ domain: 'procedural' })).train;
    const result = await evaluator.evaluate.mutate({
      systemPrompt: 'Answer carefully.',
      userPrompt: (await remote.datasets.tasks.get.query({ id: taskId! })).initialUserPrompt,
      taskId: taskId!,
      split: 'train',
      n: 5,
      seed: 1,
      model: 'sim:default',
    });
    expect(result.n).toBe(5);
    expect((await remote.llm.usage.query({})).totals.calls).toBeGreaterThanOrEqual(5);
  });

  it('falls back to the METASPO_*_URL variables without serviceUrls', async () => {
    const env = { [SERVICE_URL_ENV.datasets]: served.url };
    const llmOnly = composePlatform({ mode: 'llm', dataDir: ':memory:', logger, env });
    opened.push(llmOnly);
    const llm = createServiceClient({ router: llmOnly.router }).llm;
    // The gateway alone loads the simulator's answer key from the datasets service at that URL.
    const [taskId] = backend.services.datasets.getDomainSplit('procedural').test;
    const [example] = backend.services.datasets.sample({ taskId: taskId!, split: 'test', n: 1, seed: 1 });
    await llm.complete.mutate({
      model: 'sim:default',
      messages: [{ role: 'user', content: example!.question }],
    });
    expect((await llm.health.query()).answerKeyLoaded).toBe(true);
  });
});
