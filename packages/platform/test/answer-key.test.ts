import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLogger, createServiceClient, type ServedRouter, serve } from '@metaspo/service-kit';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { answerKeyLoaderOf } from '../src/answer-key.js';
import { type AppRouter, composePlatform, type WholePlatform } from '../src/index.js';

const logger = createLogger({ name: 'platform-answer-key-test', level: 'warn' });
const QUESTIONS = Array.from({ length: 12 }, (_, i) => `Is the shop's order number ${i} an even number?`);
const CSV = ['question,answer', ...QUESTIONS.map((q, i) => `"${q}",${i % 2 ? 'no' : 'yes'}`)].join('\n');
const importShopTask = (platform: WholePlatform) =>
  platform.services.datasets.importUserData({
    taskId: 'shop_orders',
    domain: 'shop',
    format: 'csv',
    fileName: 'shop.csv',
    content: CSV,
    answerType: 'yes-no',
  });

describe("the simulator's answer key from the registry", () => {
  let platform: WholePlatform;
  let served: ServedRouter;
  beforeAll(async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-answer-key-'));
    platform = composePlatform({ mode: 'all', dataDir, logger, env: {} });
    served = await serve(platform.router, { port: 0, logger });
  });
  afterAll(async () => {
    await served.close(1_000);
    await platform.close();
  });

  it('is built again only when the registry answers changed, in process and over HTTP', async () => {
    const inProcess = answerKeyLoaderOf(createServiceClient<AppRouter>({ router: platform.router }).datasets);
    const overHttp = answerKeyLoaderOf(createServiceClient<AppRouter>({ url: served.url }).datasets);
    for (const load of [inProcess, overHttp]) {
      const first = await load();
      expect(first.size()).toBeGreaterThan(0);
      expect(await load()).toBe(first);
    }
    const before = await inProcess();
    importShopTask(platform);
    for (const load of [inProcess, overHttp]) {
      const after = await load();
      expect(after).not.toBe(before);
      expect(after.lookup(QUESTIONS[3]!)?.answer).toBe('no');
      expect(await load()).toBe(after);
    }
  });

  it('answers sim: calls about a task imported while the platform runs', async () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-answer-key-'));
    const running = composePlatform({ mode: 'all', dataDir, logger, env: {} });
    try {
      const { llm } = createServiceClient<AppRouter>({ router: running.router });
      const ask = (question: string) =>
        llm.complete.mutate({
          model: 'sim:default',
          messages: [{ role: 'user', content: `Answer yes or no. Question: ${question}` }],
        });
      // The first call loads the key, which knows nothing of the shop yet.
      expect((await ask(QUESTIONS[0]!)).text).toContain('does not know this question');
      importShopTask(running);
      // A miss reloads the key at most every 2 s.
      await new Promise((resolve) => setTimeout(resolve, 2_100));
      expect((await ask(QUESTIONS[1]!)).text).not.toContain('does not know this question');
    } finally {
      await running.close();
    }
  });
});
