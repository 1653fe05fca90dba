import type { CompletionOutcome, GatewayConfigInput } from '@metaspo/schemas';
import { type SimServer, type SimServerOptions, startSimServer } from '@metaspo/simulator';
import Database from 'better-sqlite3';
import { afterEach } from 'vitest';
import { BATCH_ANSWER_KEY, batchGateway } from './batch-support.js';
import { tempDatabaseFile } from './helpers.js';

/** Lines per batch in the cancellation tests. */
export const LINES = 6;

const sims: SimServer[] = [];
const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
  for (const sim of sims.splice(0)) await sim.close();
});

/**
 * A loopback simulator closed after the test. Line i of 6 is processed at (i + 1) * 500 ms: a
 * cancel after the first second keeps a few.
 */
export async function cancelSim(batch: SimServerOptions['batch'] = {}): Promise<SimServer> {
  const server = await startSimServer({
    answerKey: BATCH_ANSWER_KEY,
    malformedRate: 0,
    batch: { completionDelayMs: 3_000, ...batch },
  });
  sims.push(server);
  return server;
}

/** A gateway on the simulator, closed after the test. */
export function cancelGateway(
  server: SimServer,
  databaseFile = tempDatabaseFile(),
  batch: GatewayConfigInput['batch'] = {},
) {
  const service = batchGateway(server.url, databaseFile, batch);
  closers.push(() => service.close());
  return service;
}

export interface JobRecord {
  state: string;
  cancel_reason: string | null;
  cancel_requested_at: number | null;
  cancel_acknowledged_at: number | null;
}

/** The stored batch jobs, oldest first, read through a connection of their own. */
export function storedJobs(databaseFile: string): JobRecord[] {
  const sqlite = new Database(databaseFile, { readonly: true, fileMustExist: true });
  try {
    return sqlite
      .prepare<[], JobRecord>(
        'SELECT state, cancel_reason, cancel_requested_at, cancel_acknowledged_at FROM batch_jobs ORDER BY created_at',
      )
      .all();
  } finally {
    sqlite.close();
  }
}

/** The answers' texts; throws at the first failed outcome. */
export const answerTexts = (outcomes: CompletionOutcome[]) =>
  outcomes.map((outcome) => {
    if (!outcome.ok) throw new Error(outcome.error.message);
    return outcome.result.text;
  });
