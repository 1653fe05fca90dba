import { spawn } from 'node:child_process';
import { type GatewayBenchResult, runGatewayBench } from '@metaspo/platform/bench';
import type { Command } from 'commander';
import { GATEWAY_SEMI_SPACE_MB, SEMI_SPACE_FLAG, semiSpaceArgs } from '../heap.js';
import { integer, positiveInteger } from '../options.js';
import { printJson, printTable } from '../output.js';
import { type BenchTargetRow, benchCommand } from './bench.js';

/** Without --concurrency the bench runs both: 64 (the default endpoint's scale) and 256. */
const DEFAULT_CONCURRENCIES = [64, 256] as const;

/** What `metaspo bench gateway --json` prints: one result per concurrency measured. */
interface GatewayBenchRuns {
  runs: GatewayBenchResult[];
}

/** Enough requests for about two seconds of passes at 50 ms: 3,000 up to 64 in flight, else 10,000. */
const defaultRequestsAt = (concurrency: number): number => (concurrency <= 64 ? 3_000 : 10_000);

const round = (x: number, digits = 2) => Number(x.toFixed(digits));

/**
 * Runs this command again in a child process with the semi-space flag (the heap is sized when
 * a process starts, so it cannot be set from inside); undefined when this process already has
 * the flag (the child, or a caller who chose a size).
 */
function rerunWithSemiSpace(megabytes: number): Promise<number> | undefined {
  const heapArgs = semiSpaceArgs(megabytes);
  if (heapArgs.length === 0) return undefined;
  const child = spawn(process.execPath, [...process.execArgv, ...heapArgs, ...process.argv.slice(1)], {
    stdio: 'inherit',
  });
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => resolve(code ?? 1));
  });
}

/** The headline figures of each concurrency for `metaspo bench all`, each next to its target. */
export function gatewayBenchRows(json: unknown): BenchTargetRow[] {
  const { runs } = json as GatewayBenchRuns;
  return runs.flatMap(({ openai, openaiFromCache }) => {
    const at = `concurrency ${openai.concurrency}`;
    return [
      {
        bench: 'gateway',
        figure: `openai: requests/s, 50 ms latency, ${at} (median of ${openai.passes.length} passes after a cold one, ${openai.requests} requests each)`,
        measured: round(openai.requestsPerSecond, 0),
        target: `ideal ${round(openai.idealRequestsPerSecond, 0)}`,
        pass: null,
      },
      {
        bench: 'gateway',
        figure: `${at}: achieved / ideal, cold first pass (not checked)`,
        measured: round(openai.coldPass.ratio),
        target: '-',
        pass: null,
      },
      {
        bench: 'gateway',
        figure: `${at}: achieved / ideal`,
        measured: round(openai.ratio),
        target: `>= ${openai.target}`,
        pass: openai.ratio >= openai.target,
      },
      {
        bench: 'gateway',
        figure: `${at}: bare node:http client on the same server, achieved / ideal (median, same run)`,
        measured: round(openai.bareClientRatio),
        target: '-',
        pass: null,
      },
      {
        bench: 'gateway',
        figure: `${at}: gateway / bare client (median of the passes' ratios)`,
        measured: round(openai.ratioToBareClient),
        target: `>= ${openai.bareClientTarget}`,
        pass: openai.ratioToBareClient >= openai.bareClientTarget,
      },
      {
        bench: 'gateway',
        figure: `${at}: process CPU µs per call (median pass)`,
        measured: round(openai.cpuMicrosecondsPerCall, 0),
        target: '-',
        pass: null,
      },
      {
        bench: 'gateway',
        figure: `${at}: same batch from cache, requests/s`,
        measured: round(openaiFromCache.requestsPerSecond, 0),
        target: '-',
        pass: null,
      },
    ];
  });
}

function printRun(result: GatewayBenchResult): void {
  const { openai } = result;
  printTable([
    {
      path: `openai: (HTTP), concurrency ${openai.concurrency}, median pass`,
      requests: openai.requests,
      'requests/s': openai.requestsPerSecond,
      'ideal/s': openai.idealRequestsPerSecond,
      ratio: openai.ratio,
      target: `>= ${openai.target}`,
      failed: openai.failed,
    },
    ...[openai.coldPass, ...openai.passes].map((pass, index) => ({
      path: index === 0 ? '  cold pass: openai: / bare client' : `  pass ${index}: openai: / bare client`,
      requests: openai.requests,
      'requests/s': pass.requestsPerSecond,
      'ideal/s': openai.idealRequestsPerSecond,
      ratio: `${pass.ratio.toFixed(3)} / ${pass.bareClientRatio.toFixed(3)} (${pass.ratioToBareClient.toFixed(3)} of bare, ${pass.cpuMicrosecondsPerCall.toFixed(0)} µs CPU per call)`,
      failed: pass.failed,
    })),
    {
      path: 'bare node:http client, median',
      requests: openai.requests,
      'requests/s': openai.bareClientRequestsPerSecond,
      'ideal/s': openai.idealRequestsPerSecond,
      ratio: openai.bareClientRatio,
    },
    {
      path: 'gateway / bare client, median of the passes',
      ratio: openai.ratioToBareClient,
      target: `>= ${openai.bareClientTarget}`,
    },
    {
      path: 'openai: from cache',
      requests: result.openaiFromCache.requests,
      'requests/s': result.openaiFromCache.requestsPerSecond,
      failed: result.openaiFromCache.failed,
    },
    {
      path: 'sim: in process',
      requests: result.simInProcess.requests,
      'requests/s': result.simInProcess.requestsPerSecond,
      target: `>= ${result.simInProcess.target}/s`,
      failed: result.simInProcess.failed,
    },
  ]);
}

export function registerBenchGatewayCommands(program: Command): void {
  benchCommand(program)
    .command('gateway')
    .description(
      'openai: provider path against a loopback simulator (latency 50 ms) at concurrency 64 and 256: ' +
        'requests/s vs ideal (target 0.9) and vs a bare node:http client in the same run (target 0.95), ' +
        'cache replay, and the in-process sim: path',
    )
    .option('--json', 'print only JSON')
    .option(
      '--requests <n>',
      'requests per pass through the openai: path (default 3,000 up to concurrency 64, else 10,000)',
      positiveInteger,
    )
    .option(
      '--concurrency <n>',
      'gateway concurrency for the endpoint (default: 64, then 256)',
      positiveInteger,
    )
    .option('--latency-ms <ms>', 'simulator latency', integer, 50)
    .option(
      '--passes <k>',
      'timed passes of the openai: path after a cold first one, each followed by the bare client; the medians are checked',
      positiveInteger,
      5,
    )
    .option(
      '--sim-requests <n>',
      'requests through the in-process sim: path (at most 10,000)',
      positiveInteger,
      10_000,
    )
    .option(
      '--semi-space-mb <n>',
      `V8 semi-space of the measuring process, as the gateway's host should run (V8's own default: 16; ignored when node already has ${SEMI_SPACE_FLAG})`,
      positiveInteger,
      GATEWAY_SEMI_SPACE_MB,
    )
    .action(
      async (opts: {
        json?: boolean;
        requests?: number;
        concurrency?: number;
        latencyMs: number;
        simRequests: number;
        passes: number;
        semiSpaceMb: number;
      }) => {
        const rerun = rerunWithSemiSpace(opts.semiSpaceMb);
        if (rerun) {
          process.exitCode = await rerun;
          return;
        }
        const concurrencies = opts.concurrency === undefined ? DEFAULT_CONCURRENCIES : [opts.concurrency];
        const runs: GatewayBenchResult[] = [];
        // One after the other in this process, each with its own server and database.
        for (const concurrency of concurrencies) {
          runs.push(
            await runGatewayBench({
              ...opts,
              concurrency,
              requests: opts.requests ?? defaultRequestsAt(concurrency),
            }),
          );
        }
        if (opts.json) {
          printJson({ runs } satisfies GatewayBenchRuns);
          return;
        }
        for (const run of runs) printRun(run);
      },
    );
}
