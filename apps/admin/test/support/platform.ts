import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { RunConfigInput, RunRecord } from '@metaspo/schemas';
import { type AppRouter, PlatformConfigSchema, startServer } from '@metaspo/server';
import { createTRPCClient, httpBatchLink, type TRPCClient } from '@trpc/client';
import superjson from 'superjson';

/** Procedural tasks: generated locally, so the tests need no download. */
export const TASKS = ['proc_tracking_swaps', 'proc_navigation', 'proc_date_arithmetic'];

export interface TestPlatform {
  url: string;
  dataDir: string;
  client: TRPCClient<AppRouter>;
  /** Stops the server (idempotent) and removes its data directory. */
  close(): Promise<void>;
  stopServer(): Promise<void>;
}

/**
 * The server `metaspo serve` runs, on a loopback port with a fresh data dir and the admin build.
 * `config` is the YAML config file's content (e.g. a rate limit that slows the simulator down);
 * `dataDir` reopens the data of a server that stopped.
 */
export async function startPlatform(
  adminDir: string,
  config: unknown = {},
  dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-admin-test-')),
): Promise<TestPlatform> {
  const server = await startServer({
    port: 0,
    host: '127.0.0.1',
    dataDir,
    adminDir,
    env: {},
    config: PlatformConfigSchema.parse(config),
  });
  const client = createTRPCClient<AppRouter>({
    links: [httpBatchLink({ url: `${server.url}/trpc`, transformer: superjson })],
  });
  let stopped: Promise<void> | undefined;
  const stopServer = () => {
    stopped ??= server.close();
    return stopped;
  };
  return {
    url: server.url,
    dataDir,
    client,
    stopServer,
    close: async () => {
      await stopServer();
      fs.rmSync(dataDir, { recursive: true, force: true });
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

/** Polls a run until it ends; bounded by `attempts` (the default allows about 45 s). */
export async function waitForRunEnd(
  client: TRPCClient<AppRouter>,
  id: string,
  attempts = 180,
): Promise<RunRecord> {
  for (let i = 0; i < attempts; i += 1) {
    const run = await client.optimizer.runs.get.query({ id });
    if (TERMINAL.has(run.status)) return run;
    await new Promise((resolve) => setTimeout(resolve, 250));
  }
  throw new Error(`run ${id} did not end after ${attempts} polls`);
}
