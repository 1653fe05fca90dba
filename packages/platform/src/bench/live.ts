import os from 'node:os';
import type { RunConfigInput } from '@metaspo/schemas';
import { createServiceClient, nearestRankPercentile } from '@metaspo/service-kit';
import type { AppRouter } from '../app-router.js';
import { referenceBenchConfig } from './reference-config.js';

export interface LiveBenchOptions {
  /** A running `metaspo serve` (all services in one process) to measure. */
  url: string;
  /** train 10 / test 50 instead of the reference 50 / 500, for a fast check. */
  quick?: boolean;
  /** Milliseconds between two `runs.get` requests (default 50). */
  pollMs?: number;
  log?: ((line: string) => void) | undefined;
}

export interface LatencySummary {
  samples: number;
  p50Ms: number;
  p95Ms: number;
  p99Ms: number;
  maxMs: number;
}

export interface LiveBenchResult {
  config: RunConfigInput;
  pollMs: number;
  runId: string;
  runStatus: string;
  runDurationMs: number;
  /** Requests the run made, as its progress reports them at the end. */
  runRequests: number;
  runsGet: LatencySummary;
  /** Polls answered while the run still reported itself running. */
  answeredWhileRunning: number;
  /** Distinct `requestsDone` values those polls showed: the progress a live view could draw. */
  progressStepsSeen: number;
  /**
   * The machine's 1-minute load average when the run started and ended: on a shared machine
   * the latencies mean little without it.
   */
  loadAverage: { start: number; end: number };
  targetP99Ms: number;
  pass: boolean;
}

const P99_TARGET_MS = 100;

export function summariseLatencies(latencies: number[]): LatencySummary {
  const sorted = [...latencies].sort((a, b) => a - b);
  const round = (x: number) => Number(x.toFixed(1));
  return {
    samples: sorted.length,
    p50Ms: round(nearestRankPercentile(sorted, 50)),
    p95Ms: round(nearestRankPercentile(sorted, 95)),
    p99Ms: round(nearestRankPercentile(sorted, 99)),
    maxMs: round(sorted.at(-1) ?? 0),
  };
}

/**
 * The live-view bench: while a reference-default MetaSPO run on `sim:default` (4 procedural
 * tasks, 3 iterations, 9/3/3, train 50, test 500) executes inside the server, `runs.get` is
 * sent over HTTP on a fixed schedule, whether or not the previous one was answered, so a stalled
 * event loop shows in every request that waited on it instead of in one slow sample.
 */
export async function runLiveBench(options: LiveBenchOptions): Promise<LiveBenchResult> {
  const pollMs = options.pollMs ?? 50;
  const log = options.log ?? (() => {});
  const client = createServiceClient<AppRouter>({ url: options.url });
  const config = referenceBenchConfig(options.quick);
  log('importing the procedural domain...');
  await client.datasets.fetch.mutate({ domain: 'procedural' });
  const run = await client.optimizer.runs.create.mutate({ config });
  log(`run ${run.id}: polling runs.get every ${pollMs} ms until it ends...`);

  const latencies: number[] = [];
  let answeredWhileRunning = 0;
  const progressSeen = new Set<number>();
  let finished = false;
  let failure: unknown;
  const inFlight = new Set<Promise<void>>();
  const poll = () => {
    const sent = performance.now();
    const request = client.optimizer.runs.get
      .query({ id: run.id })
      .then((record) => {
        latencies.push(performance.now() - sent);
        if (record.status === 'running') {
          answeredWhileRunning += 1;
          progressSeen.add(record.progress?.requestsDone ?? 0);
        } else if (record.status !== 'created') finished = true;
      })
      .catch((error: unknown) => {
        failure = error;
      })
      .finally(() => inFlight.delete(request));
    inFlight.add(request);
  };

  const started = performance.now();
  const loadAtStart = os.loadavg()[0]!;
  await client.optimizer.runs.start.mutate({ id: run.id });
  // A fixed schedule: the next request is due pollMs after the previous one was sent.
  while (!finished && failure === undefined) {
    poll();
    await new Promise((resolve) => setTimeout(resolve, pollMs));
  }
  const runDurationMs = performance.now() - started;
  await Promise.all(inFlight);
  if (failure !== undefined) throw failure;
  const record = await client.optimizer.runs.get.query({ id: run.id });
  const runsGet = summariseLatencies(latencies);
  return {
    config,
    pollMs,
    runId: run.id,
    runStatus: record.status,
    runDurationMs: Math.round(runDurationMs),
    runRequests: record.progress?.requestsDone ?? 0,
    runsGet,
    answeredWhileRunning,
    progressStepsSeen: progressSeen.size,
    loadAverage: { start: loadAtStart, end: os.loadavg()[0]! },
    targetP99Ms: P99_TARGET_MS,
    pass: record.status === 'completed' && runsGet.p99Ms < P99_TARGET_MS,
  };
}
