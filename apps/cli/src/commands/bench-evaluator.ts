import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type EvaluatorBenchResult, runEvaluatorBench } from '@metaspo/evaluator';
import { type AppRouter, composePlatform } from '@metaspo/server';
import { createServiceClient } from '@metaspo/service-kit';
import type { Command } from 'commander';
import { integer } from '../options.js';
import { printJson, printTable } from '../output.js';
import { benchCommand } from './bench.js';

function printResult(result: EvaluatorBenchResult): void {
  printTable(
    (['fresh', 'cached', 'gatewayAlone', 'evaluatorOnly'] as const).map((pass) => ({
      pass,
      evaluations: result[pass].evaluations,
      items: result[pass].items,
      seconds: result[pass].seconds,
      'items/s': Math.round(result[pass].itemsPerSecond),
    })),
  );
  process.stdout.write(
    `target ${result.target} items/s (fresh pass): ${result.meetsTarget ? 'met' : 'NOT met'}\n`,
  );
}

export function registerBenchEvaluatorCommands(program: Command): void {
  benchCommand(program)
    .command('evaluator')
    .description(
      'items evaluated per second with the in-process sim: model, persistence included (target 5,000)',
    )
    .option('--json', 'print only JSON')
    .option('--tasks <k>', 'procedural tasks to use', integer, 4)
    .option('--pairs <k>', 'prompt pairs per task', integer, 10)
    .option('--n <n>', 'examples per pair', integer, 100)
    .option('--concurrency <k>', 'pairs evaluated at once', integer, 8)
    .action(
      async (opts: { json?: boolean; tasks: number; pairs: number; n: number; concurrency: number }) => {
        const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-bench-evaluator-'));
        // The real datasets and gateway services on fresh files, composed in-process.
        const platform = composePlatform({ dataDir: dir });
        try {
          const app = createServiceClient<AppRouter>({ router: platform.router as AppRouter });
          const tasks = await app.datasets.tasks.list.query({ domain: 'procedural' });
          const result = await runEvaluatorBench({
            llm: app.llm,
            datasets: app.datasets,
            taskIds: tasks.slice(0, opts.tasks).map((task) => task.id),
            dir,
            pairsPerTask: opts.pairs,
            n: opts.n,
            concurrency: opts.concurrency,
          });
          if (opts.json) printJson(result);
          else printResult(result);
        } finally {
          await platform.close();
          fs.rmSync(dir, { recursive: true, force: true });
        }
      },
    );
}
