import { Writable } from 'node:stream';
import type { CompletionOutcome, GatewayConfigInput } from '@metaspo/schemas';
import { createLogger, type Logger } from '@metaspo/service-kit';
import { type SimServer, type SimServerOptions, startSimServer } from '@metaspo/simulator';
import Database from 'better-sqlite3';
import { afterEach, expect } from 'vitest';
import { BATCH_ANSWER_KEY, batchGateway } from './batch-support.js';
import { tempDatabaseFile } from './helpers.js';

/** Lines per batch in the cancellation tests. */
export const LINES = 6;

/** Line i of 6 is processed at (i + 1) * 500 ms: a cancel after the first second keeps a few. */
export const SLOW_LINES = { completionDelayMs: 3_000 };

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

/** A loopback simulator (no faults), closed after the test. */
export async function startBatchSim(batch: SimServerOptions['batch'] = {}): Promise<SimServer> {
  const server = await startSimServer({ answerKey: BATCH_ANSWER_KEY, malformedRate: 0, batch });
  closers.push(() => server.close());
  return server;
}

/** A gateway whose openai and anthropic providers are at `target`, closed (first) after the test. */
export function gatewayOn(
  target: { url: string },
  databaseFile = tempDatabaseFile(),
  batch: GatewayConfigInput['batch'] = {},
  logger?: Logger,
) {
  const service = batchGateway(target.url, databaseFile, batch, logger);
  closers.unshift(() => service.close());
  return service;
}

/** Closed after the test, before everything started before it (a proxy before its simulator). */
export function closeAfterTest(close: () => Promise<void>): void {
  closers.unshift(close);
}

/** A JSON logger for a gateway, and the records it wrote so far. */
export function logCollector() {
  const records: Array<Record<string, unknown>> = [];
  const destination = new Writable({
    write(chunk, _encoding, done) {
      records.push(JSON.parse(String(chunk)) as Record<string, unknown>);
      done();
    },
  });
  return { logger: createLogger({ name: 'llm-gateway', destination, format: 'json' }), records };
}

export interface JobRecord {
  state: string;
  cancel_reason: string | null;
  cancel_requested_at: number | null;
  cancel_acknowledged_at: number | null;
}

/** The stored row of a job cancelled for `reason` (acknowledged) that is now `state`. */
export const cancelledJob = (state: 'released' | 'ended' | 'abandoned', reason: 'deadline' | 'unneeded') => ({
  state,
  cancel_reason: reason,
  cancel_requested_at: expect.any(Number),
  cancel_acknowledged_at: expect.any(Number),
});

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
