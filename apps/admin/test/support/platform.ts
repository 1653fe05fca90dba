import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { AppRouter } from '@metaspo/platform';
import type { MetaTestRecord, RunConfigInput, RunRecord } from '@metaspo/schemas';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';
import { ensureAdminBuild } from './admin-build.js';
import { startServerProcess } from './server-process.js';

/** Procedural tasks: generated locally, so the tests need no download. */
export const TASKS = ['proc_tracking_swaps', 'proc_navigation', 'proc_date_arithmetic'];

export type AdminClient = TRPCClient<AppRouter>;

export interface TestPlatform {
  url: string;
  dataDir: string;
  client: AdminClient;
  /** What the server process wrote on stderr so far. */
  stderr(): string;
  /** Stops the server (idempotent) and removes its data directory. */
  close(): Promise<void>;
  /** Stops the server (SIGTERM, idempotent) and keeps its data for a restart. */
  stopServer(): Promise<void>;
}

export interface PlatformOptions {
  /** The config file's content, e.g. `rateLimitedSim(300)` to slow the simulator down. */
  config?: unknown;
  /** Reopens the data of a server that stopped; a fresh temp directory otherwise. */
  dataDir?: string;
  /** `METASPO_API_TOKEN`: the server asks for it, and `client` sends it. */
  token?: string;
  /** `metaspo serve --shared-datasets DIR`. */
  sharedDatasetsDir?: string;
  /** The admin build to serve; the workspace's own (built first when missing or stale) otherwise. */
  adminDir?: string;
  /** More environment for the server process (see ServerProcessOptions.env). */
  env?: Record<string, string>;
}

/** A config whose simulator answers a burst of `rpm` calls, then `rpm` a minute: runs stay live while a page watches. */
export function rateLimitedSim(rpm: number): unknown {
  return { llm: { providers: { sim: { rpm } } } };
}

/**
 * The server process `metaspo serve` runs, on a loopback port with the admin build and a fresh
 * (or the given) data directory; its config is written to a file next to the data, as a user's is.
 */
export async function startPlatform(options: PlatformOptions = {}): Promise<TestPlatform> {
  const dataDir = options.dataDir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-admin-test-'));
  const configFile = path.join(`${dataDir}.config`, 'metaspo.json');
  fs.mkdirSync(path.dirname(configFile), { recursive: true });
  // JSON is YAML: the server reads it as the config file it is.
  fs.writeFileSync(configFile, JSON.stringify(options.config ?? {}));
  const server = await startServerProcess({
    dataDir,
    configFile,
    adminDir: options.adminDir ?? (await ensureAdminBuild()),
    ...(options.token ? { token: options.token } : {}),
    ...(options.sharedDatasetsDir ? { sharedDatasetsDir: options.sharedDatasetsDir } : {}),
    ...(options.env ? { env: options.env } : {}),
  });
  const headers = options.token ? { authorization: `Bearer ${options.token}` } : undefined;
  const client = createTRPCClient<AppRouter>({
    links: [
      httpBatchLink({ url: `${server.url}/trpc`, transformer: superjson, ...(headers ? { headers } : {}) }),
    ],
  });
  return {
    url: server.url,
    dataDir,
    client,
    stderr: server.stderr,
    stopServer: server.stop,
    close: async () => {
      await server.stop();
      fs.rmSync(dataDir, { recursive: true, force: true });
      fs.rmSync(path.dirname(configFile), { recursive: true, force: true });
    },
  };
}

export function smallConfig(overrides: Partial<RunConfigInput> = {}): RunConfigInput {
  return {
    metaTrainTasks: TASKS,
    iterations: 2,
    numSystemCandidates: 3,
    numUserCandidates: 2,
    userTopK: 2,
    trainSize: 10,
    testSize: 20,
    concurrency: 8,
    ...overrides,
  };
}

const TERMINAL = new Set(['completed', 'failed', 'cancelled', 'budget-exceeded']);

const pause = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls a run until it ends; bounded by `attempts` (the default allows about 45 s). */
export async function waitForRunEnd(client: AdminClient, id: string, attempts = 180): Promise<RunRecord> {
  for (let i = 0; i < attempts; i += 1) {
    const run = await client.optimizer.runs.get.query({ id });
    if (TERMINAL.has(run.status)) return run;
    await pause(250);
  }
  throw new Error(`run ${id} did not end after ${attempts} polls`);
}

/** Creates, starts and waits for a run. */
export async function runToEnd(
  client: AdminClient,
  name: string,
  config = smallConfig(),
): Promise<RunRecord> {
  const created = await client.optimizer.runs.create.mutate({ config, name });
  await client.optimizer.runs.start.mutate({ id: created.id });
  return waitForRunEnd(client, created.id);
}

/** Polls a meta-test until it is no longer running; bounded by `attempts` (the default allows about 60 s). */
export async function waitForMetaTestEnd(
  client: AdminClient,
  id: string,
  attempts = 240,
): Promise<MetaTestRecord> {
  for (let i = 0; i < attempts; i += 1) {
    const record = await client.optimizer.metaTests.get.query({ id });
    if (record.status !== 'running') return record;
    await pause(250);
  }
  throw new Error(`meta-test ${id} still running after ${attempts} polls`);
}
