import fs from 'node:fs';
import { type RunRecord, type RunStatus, RunStatusSchema, racesCandidates } from '@metaspo/schemas';
import { type Command, Option } from 'commander';
import { withClients } from '../clients.js';
import { count, scoreText } from '../numbers.js';
import { positiveInteger, positiveNumber } from '../options.js';
import { printJson, printTable } from '../output.js';
import { raceLines } from './race-text.js';
import { followRun } from './run-progress.js';
import { printRunText, runSummary } from './run-text.js';
import { cancelOnInterrupt } from './train.js';

export function registerRunsCommands(program: Command): void {
  const runs = program
    .command('runs')
    .description('list, inspect, resume, cancel and export optimization runs');

  runs
    .command('list')
    .description('runs, newest first, with status, method and scores')
    .addOption(new Option('--status <status>', 'only runs with this status').choices(RunStatusSchema.options))
    .option('--limit <n>', 'at most this many runs', positiveInteger, 50)
    .option('--json', 'print JSON')
    .action(async (opts: { status?: RunStatus; limit: number; json?: boolean }, command: Command) => {
      await withClients(command, async (clients) => {
        const list = await clients.optimizer.runs.list.query({
          limit: opts.limit,
          ...(opts.status ? { status: opts.status } : {}),
        });
        if (opts.json) return printJson(list);
        const scored = (r: RunRecord, score: number | null | undefined) =>
          scoreText(score, { scoring: r.config.scoring, simulated: r.simulated });
        printTable(
          list.map((r) => ({
            id: r.id,
            name: r.name,
            method: r.config.method,
            status: r.status,
            requests: r.progress
              ? `${count(r.progress.requestsDone)}/${count(r.progress.requestsTotal)}`
              : '',
            'final (train split)': scored(r, r.result?.scores.final),
            'test split': scored(r, r.result?.scores.test),
            created: r.createdAt,
          })),
        );
      });
    });

  runs
    .command('show <id>')
    .description(
      'one run: status, progress, scores, calls, cost, the optimized system prompt, and its races when it races',
    )
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      await withClients(command, async (clients) => {
        const run = await clients.optimizer.runs.get.query({ id });
        if (opts.json) return printJson(run);
        printRunText(run);
        if (racesCandidates(run.config)) {
          const races = await clients.optimizer.runs.races.query({ id });
          process.stdout.write(`${raceLines(races).join('\n')}\n`);
        }
      });
    });

  runs
    .command('resume <id>')
    .description('continue a paused, cancelled, failed, interrupted or budget-stopped run')
    .option('--max-usd <n>', 'new budget in USD', positiveNumber)
    .option('--max-calls <n>', 'new budget in calls', positiveInteger)
    .option('--json', 'print one JSON object at the end')
    .action(
      async (id: string, opts: { maxUsd?: number; maxCalls?: number; json?: boolean }, command: Command) => {
        const budget =
          opts.maxUsd || opts.maxCalls
            ? {
                ...(opts.maxUsd ? { maxUsd: opts.maxUsd } : {}),
                ...(opts.maxCalls ? { maxCalls: Math.floor(opts.maxCalls) } : {}),
              }
            : undefined;
        await withClients(command, async (clients) => {
          await clients.optimizer.runs.resume.mutate({ id, ...(budget ? { budget } : {}) });
          const release = cancelOnInterrupt(clients, id);
          try {
            const run = await followRun(clients, id, opts.json === true);
            if (opts.json) printJson(runSummary(run));
            else printRunText(run);
            if (run.status !== 'completed') process.exitCode = 1;
          } finally {
            release();
          }
        });
      },
    );

  runs
    .command('cancel <id>')
    .description('stop a run: queued and in-flight calls are cancelled, the run stays resumable')
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      await withClients(command, async (clients) => {
        const run = await clients.optimizer.runs.cancel.mutate({ id });
        if (opts.json) printJson({ runId: run.id, status: run.status });
        else process.stdout.write(`run ${run.id} ${run.status}\n`);
      });
    });

  runs
    .command('delete <id>')
    .description(
      'remove a stopped run with its nodes and events (the response cache and the ledger keep its calls)',
    )
    .option('--json', 'print JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      await withClients(command, async (clients) => {
        const removed = await clients.optimizer.runs.delete.mutate({ id });
        if (opts.json) printJson(removed);
        else
          process.stdout.write(
            `run ${removed.id} deleted (${removed.nodes} nodes, ${removed.events} events)\n`,
          );
      });
    });

  runs
    .command('export <id>')
    .description(
      'the run as JSON: optimized prompt, per-iteration scores per task, node lineage, config, usage',
    )
    .option('--out <file>', 'write to a file instead of stdout')
    .option('--json', 'print JSON (the default for export)')
    .action(async (id: string, opts: { out?: string }, command: Command) => {
      await withClients(command, async (clients) => {
        const exported = await clients.optimizer.runs.export.query({ id });
        if (opts.out) {
          fs.writeFileSync(opts.out, `${JSON.stringify(exported, null, 2)}\n`);
          process.stderr.write(`wrote ${opts.out}\n`);
        } else printJson(exported);
      });
    });
}
