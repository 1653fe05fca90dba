import { benchSimServer } from '@metaspo/simulator/bench';
import type { Command } from 'commander';
import { integer } from '../options.js';
import { printJson, printTable } from '../output.js';
import { benchCommand } from './bench.js';

export function registerBenchSimCommands(program: Command): void {
  benchCommand(program)
    .command('sim')
    .description('throughput of the simulator server at latency 0 over loopback (target 2,000 requests/s)')
    .option('--json', 'print only JSON')
    .option('--requests <n>', 'requests to send', integer, 20_000)
    .option('--concurrency <n>', 'keep-alive connections', integer, 64)
    .action(async (opts: { json?: boolean; requests: number; concurrency: number }) => {
      const result = await benchSimServer({ requests: opts.requests, concurrency: opts.concurrency });
      if (opts.json) {
        printJson(result);
        return;
      }
      printTable([
        {
          'requests/s': result.requestsPerSecond,
          'p50 ms': result.p50Ms,
          'p99 ms': result.p99Ms,
          failures: result.failures,
          'bare http requests/s': result.bareHttpRequestsPerSecond,
          target: result.targetRps,
          result: result.pass ? 'pass' : 'FAIL',
        },
      ]);
    });
}
