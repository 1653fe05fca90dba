import {
  DEFAULT_EVALUATOR_BENCH_PASSES,
  type EvaluatorBenchResult,
  type EvaluatorThroughput,
  runEvaluatorBench,
} from '@metaspo/evaluator/bench';
import type { AppRouter } from '@metaspo/platform';
import { createServiceClient } from '@metaspo/service-kit';
import type { Command } from 'commander';
import { integer, positiveInteger } from '../options.js';
import { printJson, printTable } from '../output.js';
import { benchCommand } from './bench.js';
import { onFreshPlatform } from './bench-fresh-platform.js';

function row(pass: string, throughput: EvaluatorThroughput) {
  return {
    pass,
    evaluations: throughput.evaluations,
    items: throughput.items,
    seconds: throughput.seconds,
    'items/s': Math.round(throughput.itemsPerSecond),
  };
}

function printResult(result: EvaluatorBenchResult): void {
  printTable([
    ...result.freshPasses.map((pass, i) => row(`fresh ${i + 1}`, pass)),
    row('fresh (median)', result.fresh),
    row('cached (median)', result.cached),
    row('gatewayAlone', result.gatewayAlone),
    row('evaluatorOnly', result.evaluatorOnly),
  ]);
  process.stdout.write(
    `target ${result.target} items/s (median fresh pass): ${result.meetsTarget ? 'met' : 'NOT met'}\n`,
  );
}

export function registerBenchEvaluatorCommands(program: Command): void {
  benchCommand(program)
    .command('evaluator')
    .description(
      'items evaluated per second with the in-process sim: model, persistence included (target 5,000)',
    )
    .option('--json', 'print only JSON')
    .option('--tasks <k>', 'procedural tasks to use', positiveInteger, 4)
    .option('--pairs <k>', 'prompt pairs per task', positiveInteger, 10)
    .option('--n <n>', 'examples per pair', positiveInteger, 100)
    .option('--concurrency <k>', 'pairs evaluated at once', positiveInteger, 8)
    .option(
      '--passes <k>',
      'fresh passes, each with its own prompts; the median is checked',
      integer,
      DEFAULT_EVALUATOR_BENCH_PASSES,
    )
    .action(
      async (opts: {
        json?: boolean;
        tasks: number;
        pairs: number;
        n: number;
        concurrency: number;
        passes: number;
      }) => {
        // The real datasets and gateway services on fresh files, composed in-process.
        await onFreshPlatform('evaluator', async (platform, dir) => {
          const app = createServiceClient<AppRouter>({ router: platform.router });
          const tasks = await app.datasets.tasks.list.query({ domain: 'procedural' });
          const result = await runEvaluatorBench({
            llm: app.llm,
            datasets: app.datasets,
            taskIds: tasks.slice(0, opts.tasks).map((task) => task.id),
            dir,
            pairsPerTask: opts.pairs,
            n: opts.n,
            concurrency: opts.concurrency,
            passes: opts.passes,
          });
          if (opts.json) printJson(result);
          else printResult(result);
        });
      },
    );
}
