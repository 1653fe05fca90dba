import { formatOptimizerBench, runOptimizerBench } from '@metaspo/platform/bench';
import type { Command } from 'commander';
import { printJson } from '../output.js';
import { benchCommand } from './bench.js';

export function registerBenchOptimizerCommands(program: Command): void {
  benchCommand(program)
    .command('optimizer')
    .description(
      'the reference-default MetaSPO run: HTTP speed-up at 50 ms latency, overhead and RSS in-process, cached replay',
    )
    .option('--json', 'print only JSON')
    .option('--quick', 'a smaller config (train 10, test 50) for a fast check')
    .action(async (opts: { json?: boolean; quick?: boolean }) => {
      const result = await runOptimizerBench({
        quick: opts.quick === true,
        log: opts.json ? undefined : (line) => process.stderr.write(`${line}\n`),
      });
      if (opts.json) printJson(result);
      else process.stdout.write(`${formatOptimizerBench(result)}\n`);
    });
}
