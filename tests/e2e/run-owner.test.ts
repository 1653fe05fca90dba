import { execFileSync } from 'node:child_process';
import path from 'node:path';
import type { AppRouter } from '@metaspo/platform';
import type { RunConfigInput, RunRecord } from '@metaspo/schemas';
import { createServiceClient } from '@metaspo/service-kit';
import type { TRPCClient } from '@trpc/client';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliEnv,
  runCli,
  runCliJson,
  type ServeProcess,
  startServeProcess,
  tempDir,
} from '../support/cli-process.js';
import { type SimProcess, startSimProcess } from '../support/sim-process.js';

/** The parent of a running process, as `ps` reports it. */
function parentPid(pid: number): number {
  return Number(execFileSync('ps', ['-o', 'ppid=', '-p', String(pid)], { encoding: 'utf8' }).trim());
}

const TASKS = ['proc_tracking_swaps', 'proc_navigation', 'proc_date_arithmetic'];
const LEASES = { METASPO_LEASE_HEARTBEAT_MS: '200', METASPO_LEASE_EXPIRY_MS: '1000' };
const CONFIG: RunConfigInput = {
  metaTrainTasks: TASKS,
  iterations: 2,
  numSystemCandidates: 3,
  numUserCandidates: 2,
  userTopK: 2,
  trainSize: 20,
  testSize: 30,
  baseModel: 'openai:default',
  optimizerModel: 'openai:default',
  concurrency: 4,
};

async function waitFor<T>(probe: () => Promise<T | undefined>, what: string, timeoutMs = 60_000): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined) return value;
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
}

describe('one owner per run across processes on one data directory', () => {
  const dataDir = path.join(tempDir('run-owner'), 'data');
  let sim: SimProcess;
  let env: NodeJS.ProcessEnv;
  let server: ServeProcess | undefined;
  let client: TRPCClient<AppRouter>;
  const stats = () => sim.stats();
  const cli = (args: string[]) => runCli(['--data-dir', dataDir, ...args], env);
  const startRun = async (seed: number, overrides: Partial<RunConfigInput> = {}): Promise<RunRecord> => {
    const run = await client.optimizer.runs.create.mutate({ config: { ...CONFIG, ...overrides, seed } });
    await client.optimizer.runs.start.mutate({ id: run.id });
    await waitFor(async () => {
      const progress = (await client.optimizer.runs.get.query({ id: run.id })).progress;
      return progress && progress.requestsDone > 20 ? progress : undefined;
    }, 'the run to make progress');
    return run;
  };
  const until = (id: string, done: (run: RunRecord) => boolean, what: string, timeoutMs?: number) =>
    waitFor(
      async () => {
        const run = await client.optimizer.runs.get.query({ id });
        return done(run) ? run : undefined;
      },
      what,
      timeoutMs,
    );

  beforeAll(async () => {
    await runCliJson(['--data-dir', dataDir, 'datasets', 'fetch', '--task', ...TASKS, '--json']);
    // A latency so runs take seconds.
    sim = await startSimProcess({ dataDir, tasks: TASKS, latencyMs: 15 });
    env = cliEnv({ OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'sk-test-run-owner', ...LEASES });
    server = await startServeProcess(['--data-dir', dataDir], env);
    client = createServiceClient<AppRouter>({ url: server.url });
  }, 120_000);
  afterAll(async () => {
    await server?.stop('SIGKILL');
    await sim?.close();
  });

  it('refuses `runs resume` in another process while serve runs it; the provider gets each request once', async () => {
    const before = (await stats()).requests;
    const run = await startRun(31);
    const refused = await cli(['runs', 'resume', run.id]);
    expect(refused.code).not.toBe(0);
    const owner = new RegExp(`run ${run.id} is being executed by pid (\\d+) on host `).exec(refused.stderr);
    expect(owner, refused.stderr).not.toBeNull();
    // `metaspo serve` runs the server as its child: that process holds the lease.
    expect(parentPid(Number(owner![1]))).toBe(server!.child.pid);
    const finished = await until(run.id, (r) => r.status !== 'running', 'the run to finish', 120_000);
    expect(finished.status).toBe('completed');
    const usage = (await client.llm.usage.query({ runId: run.id })).totals;
    const calls = finished.result!.calls;
    expect(usage.calls).toBe(calls.baseTrain + calls.baseTest + calls.optimizer + calls.optimizerRetries);
    // Counted by the provider: one request per call the gateway did not answer from its cache.
    expect((await stats()).requests - before).toBe(usage.paidCalls);
  }, 180_000);

  it("`runs cancel` from another process stops serve's run within a heartbeat", async () => {
    // Long enough (about 15 s) to outlast the CLI's start.
    const run = await startRun(32, { iterations: 4, testSize: 60 });
    // Watches the lease row for the moment the other process records its request.
    const sqlite = new Database(path.join(dataDir, 'optimizer.sqlite'), { readonly: true });
    const requestOf = sqlite.prepare<[string], { at: number | null }>(
      "select cancel_requested_at as at from leases where kind = 'run' and subject_id = ?",
    );
    let requestedAt: number | null = null;
    const watch = setInterval(() => {
      requestedAt ??= requestOf.get(run.id)?.at ?? null;
    }, 5);
    const cancelling = runCliJson<{ runId: string; status: string }>(
      ['--data-dir', dataDir, 'runs', 'cancel', run.id, '--json'],
      env,
    );
    const cancelled = await cancelling.finally(() => {
      clearInterval(watch);
      sqlite.close();
    });
    expect(cancelled).toEqual({ runId: run.id, status: 'cancelled' });
    const stopped = await client.optimizer.runs.get.query({ id: run.id });
    expect(requestedAt).not.toBeNull();
    // The owner read the request at its next heartbeat and let its in-flight calls settle.
    const heartbeatMs = Number(LEASES.METASPO_LEASE_HEARTBEAT_MS);
    expect(Date.parse(stopped.finishedAt!) - requestedAt!).toBeLessThan(2 * heartbeatMs);
    // No more requests reach the provider once the owner has stopped.
    const settled = (await stats()).requests;
    await new Promise((resolve) => setTimeout(resolve, 3 * Number(LEASES.METASPO_LEASE_HEARTBEAT_MS)));
    expect((await stats()).requests).toBe(settled);
    expect((await client.optimizer.runs.get.query({ id: run.id })).status).toBe('cancelled');
    // Resumable by the owner as by any other process.
    await client.optimizer.runs.resume.mutate({ id: run.id });
    expect((await until(run.id, (r) => r.status !== 'running', 'the resumed run', 120_000)).status).toBe(
      'completed',
    );
  }, 180_000);

  it("a killed owner's run shows as interrupted after the lease expiry and resumes in another process", async () => {
    const run = await startRun(33);
    await server!.stop('SIGKILL');
    server = undefined;
    // The dead owner's last heartbeat was before the kill, so its lease has expired one expiry later.
    const expired = Date.now() + Number(LEASES.METASPO_LEASE_EXPIRY_MS) + 100;
    await new Promise((resolve) => setTimeout(resolve, Math.max(0, expired - Date.now())));
    const shown = await runCliJson<RunRecord>(['--data-dir', dataDir, 'runs', 'show', run.id, '--json'], env);
    expect(shown.status).toBe('interrupted');
    const resumed = await cli(['runs', 'resume', run.id, '--json']);
    expect(resumed.code).toBe(0);
    expect(JSON.parse(resumed.stdout)).toMatchObject({ status: 'completed' });
  }, 180_000);
});
