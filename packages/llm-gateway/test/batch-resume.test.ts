import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import type { CompletionRequest } from '@metaspo/schemas';
import { type SimServer, startSimServer } from '@metaspo/simulator';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createBatchStore } from '../src/batch/batch-store.js';
import { createOpenAiBatchClient } from '../src/batch/openai-batch-client.js';
import { cacheKeyOf } from '../src/call-pipeline.js';
import { BATCH_ANSWER_KEY, BATCH_TEST_KEY, batchGateway, evaluationRequests } from './batch-support.js';
import { tempDatabaseFile, waitFor } from './helpers.js';

const CHILD = fileURLToPath(new URL('./fixtures/batch-child.ts', import.meta.url));
const LINES = 12;

let sim: SimServer | undefined;
afterEach(async () => {
  await sim?.close();
  sim = undefined;
});

const texts = (outcomes: Array<{ ok: boolean; result?: { text: string } }>) =>
  outcomes.map((o) => o.result?.text);

function openJobs(databaseFile: string) {
  const sqlite = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    return sqlite
      .prepare<[], { state: string; provider_batch_id: string | null }>(
        'SELECT state, provider_batch_id FROM batch_jobs',
      )
      .all();
  } finally {
    sqlite.close();
  }
}

describe('a batch pending when its gateway dies', () => {
  it('is polled by the next gateway on the same file, never submitted again (SIGKILL)', async () => {
    sim = await startSimServer({
      answerKey: BATCH_ANSWER_KEY,
      malformedRate: 0,
      batch: { completionDelayMs: 2_500 },
    });
    const databaseFile = tempDatabaseFile();
    const child = spawn(
      process.execPath,
      ['--conditions=@metaspo/source', '--import', 'tsx', CHILD, databaseFile, sim.url, String(LINES)],
      { stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    const exited = new Promise<NodeJS.Signals | null>((resolve) =>
      child.on('exit', (_code, signal) => resolve(signal)),
    );
    // Killed once the provider has the batch and the store says so, long before it ends.
    await waitFor(() => sim!.stats().batches.batches === 1, 3_000).catch(() => {
      throw new Error(`the child submitted no batch; its output: ${output}`);
    });
    await waitFor(() => openJobs(databaseFile).some((job) => job.state === 'submitted'), 300);
    child.kill('SIGKILL');
    expect(await exited).toBe('SIGKILL');
    expect(output).not.toContain('answered');
    expect(sim.stats().batches.answeredLines).toBe(0);

    const resumed = batchGateway(sim.url, databaseFile);
    try {
      const requests = evaluationRequests('openai:default', LINES, 'run-kill');
      const outcomes = await resumed.completeBatch(requests, { execution: 'batch' });
      expect(sim.stats().batches).toMatchObject({ files: 1, batches: 1, lines: LINES, answeredLines: LINES });
      expect(sim.stats().requests).toBe(0);
      expect(openJobs(databaseFile)).toEqual([{ state: 'ended', provider_batch_id: expect.any(String) }]);
      expect(resumed.usage('run-kill').totals.paidCalls).toBe(LINES);

      const live = batchGateway(sim.url, tempDatabaseFile());
      const liveOutcomes = await live.completeBatch(requests, {});
      await live.close();
      expect(texts(outcomes)).toEqual(texts(liveOutcomes));
    } finally {
      await resumed.close();
    }
  }, 60_000);

  /** A job as a gateway killed mid-submission leaves it: stored as preparing, no provider id. */
  async function preparingJob(databaseFile: string, jobId: string, requests: CompletionRequest[]) {
    await batchGateway(sim!.url, databaseFile).close();
    const sqlite = new Database(databaseFile);
    const keys = requests.map((r) => cacheKeyOf({ ref: { provider: 'openai', model: 'default' } }, r));
    const now = Date.now();
    // The resumed gateway resolves a job by its model; the endpoint id is only recorded.
    createBatchStore(sqlite).create(
      {
        id: jobId,
        protocol: 'openai',
        endpointId: 'openai:recorded',
        model: 'openai:default',
        lines: keys.length,
        createdAt: now,
      },
      keys.map((cacheKey) => ({
        cacheKey,
        runId: 'run-cut',
        tag: 'base',
        submission: 1,
        firstSubmittedAt: now,
        reservedUsd: 0,
      })),
    );
    sqlite.close();
    return keys;
  }

  it('finds a batch whose submission outlived the store write through its metadata, and polls it', async () => {
    sim = await startSimServer({ answerKey: BATCH_ANSWER_KEY, malformedRate: 0 });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests('openai:default', 4, 'run-cut');
    const keys = await preparingJob(databaseFile, 'job-cut-short', requests);
    const client = createOpenAiBatchClient({
      provider: 'openai',
      baseUrl: `${sim.url}/v1`,
      headers: { authorization: `Bearer ${BATCH_TEST_KEY}` },
      fetch,
      timeoutMs: 10_000,
    });
    await client.submit(
      'job-cut-short',
      requests.map((request, i) => ({ customId: keys[i]!, model: 'default', request })),
    );
    const resumed = batchGateway(sim.url, databaseFile);
    try {
      const outcomes = await resumed.completeBatch(requests, { execution: 'batch' });
      expect(outcomes.every((o) => o.ok && !o.result.cached)).toBe(true);
      expect(sim.stats().batches).toMatchObject({ batches: 1, answeredLines: 4 });
      expect(sim.stats().byEndpoint['GET /v1/batches']).toBe(1);
      expect(openJobs(databaseFile)).toEqual([{ state: 'ended', provider_batch_id: expect.any(String) }]);
    } finally {
      await resumed.close();
    }
  });

  it('abandons a preparing job the provider never received and submits its lines anew', async () => {
    sim = await startSimServer({ answerKey: BATCH_ANSWER_KEY, malformedRate: 0 });
    const databaseFile = tempDatabaseFile();
    const requests = evaluationRequests('openai:default', 4, 'run-cut');
    await preparingJob(databaseFile, 'job-never-sent', requests);
    const resumed = batchGateway(sim.url, databaseFile, { maxSubmissions: 2 });
    try {
      const outcomes = await resumed.completeBatch(requests, { execution: 'batch' });
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(sim.stats().batches).toMatchObject({ batches: 1, answeredLines: 4 });
      expect(
        openJobs(databaseFile)
          .map((job) => job.state)
          .sort(),
      ).toEqual(['abandoned', 'ended']);
    } finally {
      await resumed.close();
    }
  });
});
