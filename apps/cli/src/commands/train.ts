import fs from 'node:fs';
import type { Command } from 'commander';
import { type PlatformClients, withClients } from '../clients.js';
import { printJson } from '../output.js';
import { followRun, printRunText, runSummary } from './run-progress.js';

/** Stops the run on Ctrl-C (it stays resumable) instead of leaving it running. */
export function cancelOnInterrupt(clients: PlatformClients, runId: string): () => void {
  const onSignal = () => {
    process.stderr.write(`\ncancelling run ${runId} (resume with: metaspo runs resume ${runId})\n`);
    clients.optimizer.runs.cancel.mutate({ id: runId }).catch(() => {});
  };
  process.once('SIGINT', onSignal);
  return () => process.off('SIGINT', onSignal);
}

export function registerTrainCommands(program: Command): void {
  program
    .command('train')
    .description('optimize a system prompt with MetaSPO (or a variant/baseline) from a YAML run config')
    .requiredOption('--config <file>', 'run config YAML (see configs/quick.yaml)')
    .option('--name <name>', 'a name for the run')
    .option('--json', 'print one JSON object at the end instead of text')
    .action(async (opts: { config: string; name?: string; json?: boolean }, command: Command) => {
      const yaml = fs.readFileSync(opts.config, 'utf8');
      await withClients(command, async (clients) => {
        const created = await clients.optimizer.runs.create.mutate({
          config: yaml,
          ...(opts.name ? { name: opts.name } : {}),
        });
        if (!opts.json) process.stderr.write(`run ${created.id} started\n`);
        const release = cancelOnInterrupt(clients, created.id);
        try {
          await clients.optimizer.runs.start.mutate({ id: created.id });
          const run = await followRun(clients, created.id);
          if (opts.json) printJson(runSummary(run));
          else printRunText(run);
          if (run.status !== 'completed') process.exitCode = 1;
        } finally {
          release();
        }
      });
    });
}
