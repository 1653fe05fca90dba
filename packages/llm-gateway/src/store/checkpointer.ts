import { createRequire } from 'node:module';
import { Worker } from 'node:worker_threads';

/**
 * Checkpoints a WAL database from a worker thread, on a connection of its own, so that the
 * event loop's writes rarely reach SQLite's auto-checkpoint. That checkpoint runs inside the
 * commit that crosses 1,000 WAL pages: it copies the pages into the database file and syncs
 * both, and under a loaded disk it made single write-queue flushes of a few hundred rows take
 * 35-125 ms. PASSIVE checkpoints never wait on the writer, and the writer's auto-checkpoint
 * stays on: if this thread falls behind or fails, writes are checkpointed as before.
 */
export interface Checkpointer {
  /** Stops the thread and closes its connection before returning (the writer may close after). */
  stop(): void;
}

export const CHECKPOINT_INTERVAL_MS = 200;
/** How long `stop` waits for a checkpoint in progress to end. */
const STOP_WAIT_MS = 2_000;

// Plain CommonJS run by the worker (`eval`): the driver's path comes in from this module, so
// the thread needs neither a loader for TypeScript nor this package's own resolution.
const WORKER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const Database = require(workerData.driver);
const stopped = new Int32Array(workerData.stopped);
let db;
try {
  db = new Database(workerData.file, { fileMustExist: true });
} catch {
  db = undefined;
}
const timer = setInterval(() => {
  try {
    db?.pragma('wal_checkpoint(PASSIVE)');
  } catch {
    // A busy or closing file: the writer's own auto-checkpoint still covers it.
  }
}, workerData.intervalMs);
parentPort.once('message', () => {
  clearInterval(timer);
  try {
    db?.close();
  } finally {
    Atomics.store(stopped, 0, 1);
    Atomics.notify(stopped, 0);
    parentPort.close();
  }
});
`;

const driverPath = createRequire(import.meta.url).resolve('better-sqlite3');

export function startCheckpointer(file: string, intervalMs = CHECKPOINT_INTERVAL_MS): Checkpointer {
  const stopped = new SharedArrayBuffer(4);
  const worker = new Worker(WORKER_SOURCE, {
    eval: true,
    // Not the parent's flags (a TypeScript loader, a profiler): the thread runs plain CommonJS.
    execArgv: [],
    workerData: { file, driver: driverPath, intervalMs, stopped },
  });
  worker.unref();
  let done = false;
  // A thread that cannot start or dies leaves checkpoints to the writer, as without it.
  worker.on('error', () => {});
  worker.once('exit', () => {
    done = true;
  });
  return {
    stop() {
      if (done) return;
      done = true;
      worker.postMessage('stop');
      Atomics.wait(new Int32Array(stopped), 0, 0, STOP_WAIT_MS);
      void worker.terminate();
    },
  };
}
