import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { EvaluatorBenchResult } from '@metaspo/evaluator/bench';
import type { OptimizerBenchResult } from '@metaspo/platform/bench';
import type { SimServerBenchResult } from '@metaspo/simulator/bench';
import type { Command } from 'commander';
import { printJson, printTable } from '../output.js';
import { type BenchTargetRow, benchCommand } from './bench.js';
import { gatewayBenchRows } from './bench-gateway.js';
import { liveBenchRows } from './bench-live.js';
import { racingBenchRows } from './bench-racing.js';

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/** The headline figures of each bench, each next to its target. */
const ROWS: Record<string, (json: unknown) => BenchTargetRow[]> = {
  sim: (json) => {
    const r = json as SimServerBenchResult;
    return [
      {
        bench: 'sim',
        figure: 'server requests/s at latency 0',
        measured: round(r.requestsPerSecond, 0),
        target: `>= ${r.targetRps}`,
        pass: r.pass,
      },
      {
        bench: 'sim',
        figure: 'bare node:http requests/s (same run)',
        measured: round(r.bareHttpRequestsPerSecond, 0),
        target: '-',
        pass: null,
      },
    ];
  },
  gateway: gatewayBenchRows,
  evaluator: (json) => {
    const r = json as EvaluatorBenchResult;
    return [
      {
        bench: 'evaluator',
        figure: `items/s, in-process sim, with persistence (median of ${r.passes} fresh passes)`,
        measured: round(r.fresh.itemsPerSecond, 0),
        target: `>= ${r.target}`,
        pass: r.meetsTarget,
      },
      {
        bench: 'evaluator',
        figure: 'items/s, responses from cache (median)',
        measured: round(r.cached.itemsPerSecond, 0),
        target: '-',
        pass: null,
      },
    ];
  },
  optimizer: (json) => {
    const r = json as OptimizerBenchResult;
    return [
      {
        bench: 'optimizer',
        figure: 'speed-up vs one-at-a-time client (50 ms)',
        measured: round(r.http.speedup, 1),
        target: `>= ${r.http.target}`,
        pass: r.http.speedup >= r.http.target,
      },
      {
        bench: 'optimizer',
        figure: 'orchestration ms per base request',
        measured: round(r.inProcess.overheadMsPerBaseRequest, 3),
        target: `<= ${r.inProcess.overheadTargetMs}`,
        pass: r.inProcess.overheadMsPerBaseRequest <= r.inProcess.overheadTargetMs,
      },
      {
        bench: 'optimizer',
        figure: 'peak RSS MB',
        measured: round(r.inProcess.peakRssMb, 0),
        target: `<= ${r.inProcess.rssTargetMb}`,
        pass: r.inProcess.peakRssMb <= r.inProcess.rssTargetMb,
      },
      {
        bench: 'optimizer',
        figure: 'provider requests on a repeated run',
        measured: r.repeat.providerRequests,
        target: '0',
        pass: r.repeat.providerRequests === 0,
      },
    ];
  },
  live: liveBenchRows,
  racing: racingBenchRows,
};

/** Each bench runs in its own process, so one's memory and warm caches never flatter another. */
function runBenchProcess(name: string): Promise<unknown> {
  return new Promise((resolve, reject) => {
    const cli = process.argv[1]!;
    const child = spawn(process.execPath, [...process.execArgv, cli, 'bench', name, '--json'], {
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let stdout = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => {
      if (code !== 0) reject(new Error(`metaspo bench ${name} exited with ${code}`));
      else resolve(JSON.parse(stdout));
    });
  });
}

function markdownTable(rows: BenchTargetRow[], machine: string): string {
  const lines = [
    `Measured ${new Date().toISOString().slice(0, 10)} on ${machine}.`,
    '',
    '| bench | figure | measured | target | result |',
    '|---|---|---|---|---|',
    ...rows.map(
      (r) =>
        `| ${r.bench} | ${r.figure} | ${r.measured} | ${r.target} | ${r.pass === null ? '' : r.pass ? 'pass' : 'miss'} |`,
    ),
  ];
  return `${lines.join('\n')}\n`;
}

export function registerBenchAllCommands(program: Command): void {
  benchCommand(program)
    .command('all')
    .description(
      'every benchmark in turn; writes bench/results/latest.json and latest.md (what `pnpm bench` runs)',
    )
    .option('--json', 'print only JSON')
    .option('--out <dir>', 'where to write the results', 'bench/results')
    .action(async (opts: { json?: boolean; out: string }) => {
      const machine = `${os.cpus().length} cores (${os.cpus()[0]?.model.trim() ?? 'unknown cpu'}), ${round(os.totalmem() / 2 ** 30, 0)} GiB, Node ${process.version}, load ${os
        .loadavg()
        .map((l) => l.toFixed(1))
        .join('/')}`;
      const results: Record<string, unknown> = {};
      for (const name of Object.keys(ROWS)) {
        if (!opts.json) process.stderr.write(`bench ${name}...\n`);
        results[name] = await runBenchProcess(name);
      }
      const rows = Object.entries(ROWS).flatMap(([name, toRows]) => toRows(results[name]));
      fs.mkdirSync(opts.out, { recursive: true });
      const report = { measuredAt: new Date().toISOString(), machine, results, targets: rows };
      fs.writeFileSync(path.join(opts.out, 'latest.json'), `${JSON.stringify(report, null, 2)}\n`);
      fs.writeFileSync(path.join(opts.out, 'latest.md'), markdownTable(rows, machine));
      if (opts.json) printJson(report);
      else {
        printTable(rows.map((r) => ({ ...r, pass: r.pass === null ? '' : r.pass ? 'pass' : 'miss' })));
        process.stdout.write(`\nwrote ${path.join(opts.out, 'latest.json')} and latest.md\n`);
      }
    });
}
