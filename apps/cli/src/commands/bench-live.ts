import { type ChildProcess, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type LiveBenchResult, runLiveBench } from '@metaspo/platform/bench';
import type { Command } from 'commander';
import { integer } from '../options.js';
import { printJson, printTable } from '../output.js';
import { type BenchTargetRow, benchCommand } from './bench.js';

interface ServeChild {
  url: string;
  stop(): Promise<void>;
}

/** `metaspo --data-dir DIR serve --port 0` in a child process, resolved once it listens. */
function startServeChild(dataDir: string): Promise<ServeChild> {
  const env: NodeJS.ProcessEnv = { ...process.env, METASPO_LOG_LEVEL: 'warn' };
  // The bench measures a local server of its own: no token, no service reached elsewhere.
  for (const name of Object.keys(env))
    if (name.startsWith('METASPO_') && name !== 'METASPO_LOG_LEVEL') delete env[name];
  const child: ChildProcess = spawn(
    process.execPath,
    [...process.execArgv, process.argv[1]!, '--data-dir', dataDir, 'serve', '--port', '0'],
    { env, stdio: ['ignore', 'pipe', 'pipe'] },
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    let output = '';
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (!match) return;
      child.stdout?.off('data', onData);
      resolve({
        url: match[1]!,
        stop: async () => {
          if (child.exitCode === null) child.kill('SIGTERM');
          await exited;
        },
      });
    };
    child.stdout?.on('data', onData);
    child.stderr?.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.once('error', reject);
    child.once('exit', (code) =>
      reject(new Error(`metaspo serve exited with ${code} before listening:\n${output}`)),
    );
  });
}

/** The headline rows of `bench all` for this bench (the shape of its other rows). */
export function liveBenchRows(json: unknown): BenchTargetRow[] {
  const r = json as LiveBenchResult;
  return [
    {
      bench: 'live',
      figure: `runs.get p99 ms while a reference-default sim:default run executes in serve (${r.runsGet.samples} polls, run ${(r.runDurationMs / 1000).toFixed(1)} s)`,
      measured: r.runsGet.p99Ms,
      target: `< ${r.targetP99Ms}`,
      pass: r.pass,
    },
    {
      bench: 'live',
      figure: 'runs.get p50 ms (same run)',
      measured: r.runsGet.p50Ms,
      target: '-',
      pass: null,
    },
  ];
}

export function registerBenchLiveCommands(program: Command): void {
  benchCommand(program)
    .command('live')
    .description(
      'runs.get latency over HTTP while a reference-default sim:default run executes in metaspo serve (target p99 < 100 ms)',
    )
    .option('--json', 'print only JSON')
    .option('--quick', 'a smaller config (train 10, test 50) for a fast check')
    .option('--poll-ms <ms>', 'milliseconds between two runs.get requests', integer, 50)
    .action(async (opts: { json?: boolean; quick?: boolean; pollMs: number }) => {
      const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-bench-live-'));
      const log = opts.json ? undefined : (line: string) => process.stderr.write(`${line}\n`);
      let result: LiveBenchResult;
      const server = await startServeChild(dataDir);
      try {
        log?.(`metaspo serve listening on ${server.url}`);
        result = await runLiveBench({
          url: server.url,
          quick: opts.quick === true,
          pollMs: opts.pollMs,
          log,
        });
      } finally {
        await server.stop();
        fs.rmSync(dataDir, { recursive: true, force: true });
      }
      if (opts.json) {
        printJson(result);
        return;
      }
      const r = result.runsGet;
      printTable([
        {
          request: 'runs.get during the run',
          'p50 ms': r.p50Ms,
          'p95 ms': r.p95Ms,
          'p99 ms': r.p99Ms,
          'max ms': r.maxMs,
          samples: r.samples,
          'run s': (result.runDurationMs / 1000).toFixed(1),
          target: `p99 < ${result.targetP99Ms} ms`,
          result: result.pass ? 'pass' : 'miss',
        },
      ]);
      process.stdout.write(
        `\nrun ${result.runId} ${result.runStatus}: ${result.runRequests} requests; ` +
          `${result.answeredWhileRunning} polls answered while it ran, showing ${result.progressStepsSeen} progress values; ` +
          `machine load ${result.loadAverage.start.toFixed(2)} -> ${result.loadAverage.end.toFixed(2)} (1 min, ${os.cpus().length} cores)\n`,
      );
    });
}
