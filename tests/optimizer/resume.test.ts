import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import { createDatasetsService } from '@metaspo/datasets';
import type { RunConfigInput, RunEvent, RunRecord } from '@metaspo/schemas';
import { createAnswerKey, type SimServer, startSimServer } from '@metaspo/simulator';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { runToEnd, TRAIN_TASKS } from './support/helpers.js';
import { createPlatform } from './support/platform.js';

const CHILD = fileURLToPath(new URL('./support/fixtures/run-child.ts', import.meta.url));
const PACKAGE_DIR = fileURLToPath(new URL('..', import.meta.url));
/** Gateway concurrency in the child (keep in sync with fixtures/run-child.ts). */
const CHILD_CONCURRENCY = 8;
/** The child's lease timing: a killed child's lease frees this long after its last heartbeat. */
const LEASE_ENV = { METASPO_LEASE_HEARTBEAT_MS: '100', METASPO_LEASE_EXPIRY_MS: '400' };

/** Waits until nobody holds a live lease on the run (the killed owner's has expired). */
async function untilLeaseExpired(dir: string, runId: string): Promise<void> {
  const sqlite = new Database(path.join(dir, 'optimizer.sqlite'), { readonly: true });
  try {
    const live = sqlite.prepare(
      "select count(*) as n from leases where kind = 'run' and subject_id = ? and expires_at > ?",
    );
    const deadline = Date.now() + 5_000;
    while ((live.get(runId, Date.now()) as { n: number }).n > 0) {
      if (Date.now() > deadline) throw new Error(`the lease of ${runId} did not expire`);
      await new Promise((resolve) => setTimeout(resolve, 50));
    }
  } finally {
    sqlite.close();
  }
}
/**
 * Requests a kill can lose: those in flight at the provider, plus those answered whose cache
 * rows the killed gateway had queued but not yet written (its write queue flushes every tick).
 */
const LOST_AT_KILL = 2 * CHILD_CONCURRENCY;

const CONFIG: RunConfigInput = {
  metaTrainTasks: TRAIN_TASKS.slice(0, 2),
  baseModel: 'openai:default',
  optimizerModel: 'openai:default',
  iterations: 2,
  numSystemCandidates: 2,
  numUserCandidates: 2,
  userTopK: 2,
  trainSize: 8,
  testSize: 12,
  concurrency: 16,
};

interface ChildOutcome {
  runId: string;
  events: RunEvent[];
  run: RunRecord | null;
  killed: boolean;
}

/** Runs the child to its end, or kills it with SIGKILL as soon as `killWhen` matches an event. */
function runChild(
  sim: SimServer,
  args: string[],
  killWhen: ((event: RunEvent, seen: RunEvent[]) => boolean) | null,
): Promise<ChildOutcome> {
  const child: ChildProcess = spawn(
    process.execPath,
    ['--conditions=@metaspo/source', '--import', 'tsx', CHILD, ...args],
    {
      cwd: PACKAGE_DIR,
      env: {
        ...process.env,
        OPENAI_BASE_URL: `${sim.url}/v1`,
        OPENAI_API_KEY: 'test',
        METASPO_LOG_LEVEL: 'silent',
        ...LEASE_ENV,
      },
      stdio: ['ignore', 'pipe', 'inherit'],
    },
  );
  const outcome: ChildOutcome = { runId: '', events: [], run: null, killed: false };
  const lines = readline.createInterface({ input: child.stdout! });
  lines.on('line', (line) => {
    if (line.startsWith('RUN ')) outcome.runId = line.slice(4);
    else if (line.startsWith('END ')) outcome.run = JSON.parse(line.slice(4)) as RunRecord;
    else if (line.startsWith('EVENT ') && !outcome.killed) {
      const event = JSON.parse(line.slice(6)) as RunEvent;
      outcome.events.push(event);
      if (killWhen?.(event, outcome.events)) {
        outcome.killed = true;
        child.kill('SIGKILL');
      }
    }
  });
  return new Promise((resolve, reject) => {
    child.on('error', reject);
    child.on('close', () => resolve(outcome));
  });
}

const lastPhase = (events: RunEvent[]) => events.filter((e) => e.type === 'phase').at(-1);
const nodeIn = (phase: string) => (event: RunEvent, seen: RunEvent[]) =>
  event.type === 'node' && lastPhase(seen)?.type === 'phase' && lastPhase(seen)?.phase === phase;

describe('a run killed with SIGKILL resumes to the same result without paying twice', () => {
  let sim: SimServer;
  let reference: { run: RunRecord; requests: number };
  const dirs: string[] = [];
  const tempDir = () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-resume-'));
    dirs.push(dir);
    return dir;
  };

  beforeAll(async () => {
    const datasets = createDatasetsService({ databaseFile: ':memory:' });
    const answerKey = createAnswerKey(datasets.answerKey(TRAIN_TASKS.slice(0, 2)));
    datasets.close();
    sim = await startSimServer({ answerKey, latencyMs: 5 });
    // The uninterrupted run, in this process: the same code and provider path as the child's.
    const platform = await createPlatform({
      dir: tempDir(),
      env: { OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'test' },
      gateway: { concurrency: CHILD_CONCURRENCY },
    });
    try {
      const run = await runToEnd(platform, CONFIG);
      expect(run.status).toBe('completed');
      reference = { run, requests: sim.stats().requests };
    } finally {
      await platform.close();
    }
  }, 180_000);

  afterAll(async () => {
    await sim?.close();
    for (const dir of dirs) fs.rmSync(dir, { recursive: true, force: true });
  });

  it.each([
    ['the inner loop', 'inner'],
    ['the outer loop', 'outer'],
    ['the test evaluation', 'test'],
  ])(
    'killed in %s',
    async (_label, phase) => {
      sim.resetStats();
      const dir = tempDir();
      const killed = await runChild(sim, ['start', dir, JSON.stringify(CONFIG)], nodeIn(phase));
      expect(killed.killed).toBe(true);
      expect(killed.run).toBeNull();
      const phaseAtKill = lastPhase(killed.events);
      expect(phaseAtKill?.type === 'phase' && phaseAtKill.phase).toBe(phase);

      // The killed child's lease outlives it until its expiry; only then may another process resume.
      await untilLeaseExpired(dir, killed.runId);
      const resumed = await runChild(sim, ['resume', dir, killed.runId], null);
      expect(resumed.run?.status).toBe('completed');
      expect(resumed.run?.result?.optimizedSystemPrompt).toBe(reference.run.result?.optimizedSystemPrompt);
      expect(resumed.run?.result?.scores).toEqual(reference.run.result?.scores);
      const { baseTrain, baseTest, optimizer } = resumed.run!.result!.calls;
      const ref = reference.run.result!.calls;
      expect({ baseTrain, baseTest, optimizer }).toEqual({
        baseTrain: ref.baseTrain,
        baseTest: ref.baseTest,
        optimizer: ref.optimizer,
      });
      // Every request the provider saw, across both processes: the uninterrupted run's, plus at
      // most those in flight at the kill (answered but never recorded by the killed gateway).
      const requests = sim.stats().requests;
      expect(requests).toBeGreaterThanOrEqual(reference.requests);
      expect(requests).toBeLessThanOrEqual(reference.requests + LOST_AT_KILL);
    },
    // Each case spawns two processes that compile the sources through tsx: slow on a loaded machine.
    180_000,
  );
});
