import { runGatewayBench } from '@metaspo/llm-gateway/bench';
import type { Command } from 'commander';
import { integer, positiveInteger } from '../options.js';
import { printJson, printTable } from '../output.js';
import { benchCommand } from './bench.js';

export function registerBenchGatewayCommands(program: Command): void {
  benchCommand(program)
    .command('gateway')
    .description(
      'openai: provider path against a loopback simulator (latency 50 ms, concurrency 64): ' +
        'requests/s vs ideal (target ratio 0.9), cache replay, and the in-process sim: path',
    )
    .option('--json', 'print only JSON')
    .option('--requests <n>', 'requests through the openai: path', positiveInteger, 3_000)
    .option('--concurrency <n>', 'gateway concurrency for the endpoint', positiveInteger, 64)
    .option('--latency-ms <ms>', 'simulator latency', integer, 50)
    .option(
      '--passes <k>',
      'timed passes of the openai: path after a cold first one, each followed by the bare client; the medians are checked',
      integer,
      5,
    )
    .option(
      '--sim-requests <n>',
      'requests through the in-process sim: path (at most 10,000)',
      integer,
      10_000,
    )
    .action(
      async (opts: {
        json?: boolean;
        requests: number;
        concurrency: number;
        latencyMs: number;
        simRequests: number;
        passes: number;
      }) => {
        const result = await runGatewayBench(opts);
        if (opts.json) {
          printJson(result);
          return;
        }
        printTable([
          {
            path: 'openai: (HTTP), median pass',
            requests: result.openai.requests,
            'requests/s': result.openai.requestsPerSecond,
            'ideal/s': result.openai.idealRequestsPerSecond,
            ratio: result.openai.ratio,
            target: `>= ${result.openai.target}`,
            failed: result.openai.failed,
          },
          ...[result.openai.coldPass, ...result.openai.passes].map((pass, index) => ({
            path:
              index === 0 ? '  cold pass: openai: / bare client' : `  pass ${index}: openai: / bare client`,
            requests: result.openai.requests,
            'requests/s': pass.requestsPerSecond,
            'ideal/s': result.openai.idealRequestsPerSecond,
            ratio: `${pass.ratio.toFixed(3)} / ${pass.bareClientRatio.toFixed(3)}`,
            failed: pass.failed,
          })),
          {
            path: 'bare node:http client, median',
            requests: result.openai.requests,
            'requests/s': result.openai.bareClientRequestsPerSecond,
            'ideal/s': result.openai.idealRequestsPerSecond,
            ratio: result.openai.bareClientRatio,
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
      },
    );
}
