import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatasetsService } from '@metaspo/datasets';
import type { AnswerKeyEntry, RunConfigInput, RunRecord } from '@metaspo/schemas';
import { startSimServerProcess } from '@metaspo/simulator/bench';
import { composePlatform, type WholePlatform } from '../compose.js';
import { PlatformConfigSchema } from '../config.js';
import { referenceBenchConfig } from './reference-config.js';

export interface OptimizerBenchOptions {
  /** train 10 / test 50 instead of the reference 50 / 500, for a fast check. */
  quick?: boolean;
  latencyMs?: number;
  concurrency?: number;
  log?: ((line: string) => void) | undefined;
}

export interface OptimizerBenchResult {
  config: RunConfigInput;
  http: {
    latencyMs: number;
    concurrency: number;
    wallMs: number;
    /** Every request of the run (what the reference client sends one at a time). */
    requests: number;
    /** Requests that reached the simulator server. */
    providerRequests: number;
    sequentialMs: number;
    speedup: number;
    target: number;
    ok: boolean;
  };
  inProcess: {
    wallMs: number;
    baseRequests: number;
    overheadMsPerBaseRequest: number;
    overheadTargetMs: number;
    peakRssMb: number;
    rssTargetMb: number;
    ok: boolean;
  };
  repeat: { wallMs: number; providerRequests: number; ok: boolean };
}

const SPEEDUP_TARGET = 40;
const OVERHEAD_TARGET_MS = 0.5;
const RSS_TARGET_MB = 400;

async function timedRun(
  platform: WholePlatform,
  config: RunConfigInput,
): Promise<{ run: RunRecord; wallMs: number }> {
  const { optimizer } = platform.services;
  const started = performance.now();
  const created = optimizer.createRun({ config });
  optimizer.startRun(created.id);
  const run = await optimizer.waitForRun(created.id);
  const wallMs = performance.now() - started;
  if (run.status !== 'completed' || !run.result)
    throw new Error(`bench run ${run.id} ended ${run.status}: ${run.error}`);
  return { run, wallMs };
}

/** The answers of the procedural tasks the bench trains and tests on, from the datasets service. */
function proceduralAnswers(): AnswerKeyEntry[] {
  const datasets = createDatasetsService({ databaseFile: ':memory:' });
  try {
    const split = datasets.getDomainSplit('procedural');
    return datasets.answerKey([...split.train, ...split.test]);
  } finally {
    datasets.close();
  }
}

const totalOf = (run: RunRecord) => {
  const c = run.result!.calls;
  return c.baseTrain + c.baseTest + c.optimizer + c.optimizerRetries;
};

/**
 * The optimizer bench: the reference-default MetaSPO config (4 procedural tasks, 3 iterations,
 * 9/3/3, train 50, test 500) (1) over HTTP against the simulator server with per-request latency,
 * (2) in-process at zero latency for orchestration overhead and peak RSS, (3) repeated, when
 * every request must come from the gateway cache. The simulator server runs in its own process.
 */
export async function runOptimizerBench(options: OptimizerBenchOptions = {}): Promise<OptimizerBenchResult> {
  const latencyMs = options.latencyMs ?? 50;
  const concurrency = options.concurrency ?? 64;
  const log = options.log ?? (() => {});
  const config: RunConfigInput = { ...referenceBenchConfig(options.quick), concurrency };
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-bench-optimizer-'));
  try {
    // In-process first, so its peak RSS is its own.
    log('1/3 in-process simulator at zero latency...');
    const platformConfig = PlatformConfigSchema.parse({ llm: { concurrency } });
    const local = composePlatform({ mode: 'all', dataDir: path.join(root, 'local'), config: platformConfig });
    let inProcess: OptimizerBenchResult['inProcess'];
    try {
      const { run, wallMs } = await timedRun(local, config);
      const baseRequests = run.result!.calls.baseTrain + run.result!.calls.baseTest;
      const peakRssMb = process.resourceUsage().maxRSS / 1024;
      const overhead = wallMs / baseRequests;
      inProcess = {
        wallMs: Math.round(wallMs),
        baseRequests,
        overheadMsPerBaseRequest: overhead,
        overheadTargetMs: OVERHEAD_TARGET_MS,
        peakRssMb: Math.round(peakRssMb),
        rssTargetMb: RSS_TARGET_MB,
        ok: overhead <= OVERHEAD_TARGET_MS && peakRssMb <= RSS_TARGET_MB,
      };
    } finally {
      await local.close();
    }

    const sim = await startSimServerProcess({ latencyMs, answers: proceduralAnswers() });
    try {
      const httpConfig = { ...config, baseModel: 'openai:default', optimizerModel: 'openai:default' };
      const httpPlatform = composePlatform({
        mode: 'all',
        dataDir: path.join(root, 'http'),
        env: { ...process.env, OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'bench' },
        config: platformConfig,
      });
      try {
        log(`2/3 HTTP run at ${latencyMs} ms latency, concurrency ${concurrency}...`);
        const first = await timedRun(httpPlatform, httpConfig);
        const requests = totalOf(first.run);
        const sequentialMs = requests * latencyMs;
        const http = {
          latencyMs,
          concurrency,
          wallMs: Math.round(first.wallMs),
          requests,
          providerRequests: await sim.requests(),
          sequentialMs,
          speedup: sequentialMs / first.wallMs,
          target: SPEEDUP_TARGET,
          ok: sequentialMs / first.wallMs >= SPEEDUP_TARGET,
        };
        log('3/3 the same run again (cache only)...');
        await sim.reset();
        const again = await timedRun(httpPlatform, httpConfig);
        const providerRequests = await sim.requests();
        const repeat = { wallMs: Math.round(again.wallMs), providerRequests, ok: providerRequests === 0 };
        return { config, http, inProcess, repeat };
      } finally {
        await httpPlatform.close();
      }
    } finally {
      await sim.close();
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
}

/** The short table printed without --json. */
export function formatOptimizerBench(result: OptimizerBenchResult): string {
  const mark = (ok: boolean) => (ok ? 'ok' : 'MISSED');
  const { http, inProcess, repeat } = result;
  return [
    `measure                                   value          target     `,
    `HTTP wall time (${http.latencyMs} ms, x${http.concurrency})            ${(http.wallMs / 1000).toFixed(1)} s`,
    `sequential time (${http.requests} req x ${http.latencyMs} ms)   ${(http.sequentialMs / 1000).toFixed(0)} s`,
    `speed-up                                  ${http.speedup.toFixed(1)}x          >= ${http.target}x  ${mark(http.ok)}`,
    `overhead per base request (in-process)    ${inProcess.overheadMsPerBaseRequest.toFixed(3)} ms      <= ${inProcess.overheadTargetMs} ms`,
    `peak RSS                                  ${inProcess.peakRssMb} MB         <= ${inProcess.rssTargetMb} MB  ${mark(inProcess.ok)}`,
    `repeated run: provider requests           ${repeat.providerRequests}              0          ${mark(repeat.ok)}`,
  ].join('\n');
}
