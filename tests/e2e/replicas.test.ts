import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GatewayConfigInput } from '@metaspo/llm-gateway';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd, smallConfig } from '../optimizer/support/helpers.js';
import { createPlatform } from '../optimizer/support/platform.js';
import { type SimProcess, startSimProcess } from '../support/sim-process.js';

/** The base model on the endpoint `pool`: one server in the reference run, three replicas in the other. */
const CONFIG = smallConfig({ baseModel: 'openai-compatible@pool:default', optimizerModel: 'openai:default' });

function gatewayConfig(pool: NonNullable<GatewayConfigInput['endpoints']>[string]): GatewayConfigInput {
  return {
    concurrency: 16,
    endpoints: { pool },
    retries: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 40, timeoutRetries: 0 },
    failover: { failures: 3, probeInitialMs: 100, probeMaxMs: 400 },
  };
}

const modelRequests = async (sim: SimProcess) => (await sim.stats()).requests;

describe('a run whose base model has three replicas, one SIGKILLed mid-run', () => {
  const dataDirs: string[] = [];
  let sims: SimProcess[] = [];
  let optimizerSim: SimProcess;
  let replicas: SimProcess[];

  beforeAll(async () => {
    // A data directory each: four processes migrating one set of SQLite files at once collide.
    const start = () => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-replicas-'));
      dataDirs.push(dataDir);
      return startSimProcess({ dataDir, latencyMs: 5 });
    };
    sims = await Promise.all([start(), start(), start(), start()]);
    [optimizerSim, ...replicas] = sims as [SimProcess, ...SimProcess[]];
  });
  afterAll(async () => {
    await Promise.all(sims.map((sim) => sim.close()));
    for (const dir of dataDirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it('completes with the prompt and scores of the same run on one server', async () => {
    const env = { OPENAI_BASE_URL: `${optimizerSim.url}/v1`, OPENAI_API_KEY: 'test' };
    const [first, victim, third] = replicas as [SimProcess, SimProcess, SimProcess];

    const alone = await createPlatform({ gateway: gatewayConfig({ baseUrl: `${first.url}/v1` }), env });
    const reference = await runToEnd(alone, CONFIG).finally(() => alone.close());
    expect(reference.status).toBe('completed');
    const baseRequests = await modelRequests(first);

    const pooled = await createPlatform({
      gateway: gatewayConfig({ replicas: replicas.map((sim) => `${sim.url}/v1`) }),
      env,
    });
    try {
      const run = pooled.optimizer.createRun({ config: CONFIG });
      pooled.optimizer.startRun(run.id);
      const sentToPool = async () =>
        (await Promise.all(replicas.map(modelRequests))).reduce((a, b) => a + b, 0) - baseRequests;
      // A third of the base requests answered, the rest still to come.
      for (let tries = 0; (await sentToPool()) < baseRequests / 3; tries += 1) {
        if (tries > 3_000) throw new Error('the pooled run sent too few base requests');
        await new Promise((resolve) => setTimeout(resolve, 10));
      }
      const victimServed = await modelRequests(victim);
      expect(victimServed).toBeGreaterThan(0);
      const exited = new Promise((resolve) => victim.child.once('exit', (_code, signal) => resolve(signal)));
      victim.child.kill('SIGKILL');
      expect(await exited).toBe('SIGKILL');
      const record = await pooled.optimizer.waitForRun(run.id);

      expect(record.status).toBe('completed');
      expect(record.result?.optimizedSystemPrompt).toBe(reference.result?.optimizedSystemPrompt);
      expect(record.result?.scores).toEqual(reference.result?.scores);
      expect(record.result?.calls).toEqual(reference.result?.calls);
      const usage = await pooled.llm.usage.query({ runId: run.id });
      expect(usage.totals.failedCalls).toBe(0);
      // Both survivors served the rest.
      expect(await modelRequests(third)).toBeGreaterThan(0);
      const pool = (await pooled.llm.checkProviders.query()).providers.find((p) => p.endpoint === 'pool');
      expect(pool?.detail).toMatch(/^2 of 3 replicas ready: /);
      expect(pool?.detail).toContain('out of rotation after network error');
    } finally {
      await pooled.close();
    }
  });
});
