import fs from 'node:fs';
import readline from 'node:readline/promises';
import { type ReportFormat, writeReportFiles } from '@metaspo/optimizer';
import type { ExecutionMode, ExperimentPlan, ExperimentRecord } from '@metaspo/schemas';
import type { Command } from 'commander';
import { type PlatformClients, withClients } from '../clients.js';
import { choiceList, positiveInteger, positiveNumber } from '../options.js';
import { printJson, printTable } from '../output.js';
import { executionOption, withExecution } from './execution-option.js';
import { experimentText, planText, progressText } from './experiment-text.js';

const FORMATS: readonly ReportFormat[] = ['md', 'csv', 'json'];
const PLAIN_INTERVAL_MS = 5_000;

function readConfig(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new Error(`cannot read experiment config ${file} (${reason})`);
  }
}

/**
 * Whether to go ahead with a plan above the thresholds: `--yes`, or an answer on a terminal.
 * Without a terminal and without `--yes` it refuses, so a script never spends by accident.
 */
async function confirmed(plan: ExperimentPlan, yes: boolean): Promise<boolean> {
  if (plan.confirmReasons.length === 0 || yes) return true;
  if (!process.stdin.isTTY) {
    process.stderr.write(
      `not starting: ${plan.confirmReasons.join('; ')}. Read the plan (metaspo experiment plan) and pass --yes to start.\n`,
    );
    return false;
  }
  const rl = readline.createInterface({ input: process.stdin, output: process.stderr });
  try {
    const answer = await rl.question(`${plan.confirmReasons.join('; ')}. Start the experiment? [y/N] `);
    return /^y(es)?$/i.test(answer.trim());
  } finally {
    rl.close();
  }
}

/** Follows an experiment's events to its end: a bar on a terminal, plain lines otherwise. */
async function follow(clients: PlatformClients, id: string, quiet: boolean): Promise<ExperimentRecord> {
  const tty = Boolean(process.stderr.isTTY) && !quiet;
  let lastPlain = 0;
  let lastCell: string | null = null;
  const onSignal = () => {
    process.stderr.write(`\ncancelling experiment ${id} (resume with: metaspo experiment resume ${id})\n`);
    clients.optimizer.experiments.cancel.mutate({ id }).catch(() => {});
  };
  process.once('SIGINT', onSignal);
  try {
    await new Promise<void>((resolve, reject) => {
      const subscription = clients.optimizer.experiments.events.subscribe(
        { id },
        {
          onData(event) {
            if (event.type === 'status' && event.status !== 'running') {
              subscription.unsubscribe();
              resolve();
            }
            if (event.type !== 'progress' || quiet) return;
            const { bar, line } = progressText(event.progress);
            if (tty) {
              process.stderr.write(`\r${bar}\u001b[K`);
            } else if (
              Date.now() - lastPlain >= PLAIN_INTERVAL_MS ||
              event.progress.currentCell !== lastCell
            ) {
              lastPlain = Date.now();
              lastCell = event.progress.currentCell;
              process.stderr.write(`${line}\n`);
            }
          },
          onError: reject,
          onComplete: resolve,
        },
      );
    });
  } finally {
    process.off('SIGINT', onSignal);
    if (tty) process.stderr.write('\n');
  }
  return clients.optimizer.experiments.get.query({ id });
}

async function finish(clients: PlatformClients, id: string, json: boolean | undefined): Promise<void> {
  const record = await follow(clients, id, Boolean(json));
  if (json) printJson(record);
  else process.stdout.write(experimentText(record));
  if (record.status !== 'completed') process.exitCode = 1;
}

export function registerExperimentCommands(program: Command): void {
  const experiment = program
    .command('experiment')
    .description('experiments: every method x domain x seed, planned before spending, with a report');

  experiment
    .command('plan')
    .description('requests, tokens, cost, wall time and cached requests of an experiment; sends no request')
    .requiredOption('--config <file>', 'experiment config YAML (see configs/paper-sim.yaml)')
    .option('--json', 'print the plan as JSON')
    .action(async (opts: { config: string; json?: boolean }, command: Command) => {
      const yaml = readConfig(opts.config);
      await withClients(command, async (clients) => {
        const plan = await clients.optimizer.experiments.plan.query({ config: yaml });
        if (opts.json) printJson(plan);
        else process.stdout.write(planText(plan));
      });
    });

  experiment
    .command('run')
    .description('plan, confirm above the thresholds, then run an experiment and follow its progress')
    .requiredOption('--config <file>', 'experiment config YAML')
    .option('--yes', 'start without asking, whatever the plan says')
    .option('--json', 'print the experiment record as JSON at the end')
    .addOption(executionOption("the experiment's runs and meta-tests"))
    .action(
      async (
        opts: { config: string; yes?: boolean; json?: boolean; execution?: ExecutionMode },
        command: Command,
      ) => {
        const yaml = withExecution(readConfig(opts.config), opts.execution);
        await withClients(command, async (clients) => {
          const created = await clients.optimizer.experiments.create.mutate({ config: yaml });
          if (!opts.json) process.stderr.write(planText(created.plan));
          if (!(await confirmed(created.plan, Boolean(opts.yes)))) {
            process.stderr.write(
              `experiment ${created.id} created, not started (start it with: metaspo experiment resume ${created.id} --yes)\n`,
            );
            process.exitCode = 1;
            return;
          }
          await clients.optimizer.experiments.start.mutate({ id: created.id });
          process.stderr.write(`experiment ${created.id} started\n`);
          await finish(clients, created.id, opts.json);
        });
      },
    );

  experiment
    .command('resume <id>')
    .description('continue a stopped or killed experiment (what it paid for replays from the cache)')
    .option('--max-usd <usd>', 'a new budget in USD for the whole experiment', positiveNumber)
    .option('--max-calls <n>', 'a new budget in provider requests for the whole experiment', positiveInteger)
    .option('--json', 'print the experiment record as JSON at the end')
    .action(
      async (id: string, opts: { maxUsd?: number; maxCalls?: number; json?: boolean }, command: Command) => {
        await withClients(command, async (clients) => {
          const budget =
            opts.maxUsd === undefined && opts.maxCalls === undefined
              ? undefined
              : {
                  ...(opts.maxUsd === undefined ? {} : { maxUsd: opts.maxUsd }),
                  ...(opts.maxCalls === undefined ? {} : { maxCalls: Math.round(opts.maxCalls) }),
                };
          await clients.optimizer.experiments.resume.mutate({ id, ...(budget ? { budget } : {}) });
          process.stderr.write(`experiment ${id} resumed\n`);
          await finish(clients, id, opts.json);
        });
      },
    );

  experiment
    .command('show <id>')
    .description('status, progress and cells of an experiment')
    .option('--json', 'print the record as JSON')
    .action(async (id: string, opts: { json?: boolean }, command: Command) => {
      await withClients(command, async (clients) => {
        const record = await clients.optimizer.experiments.get.query({ id });
        if (opts.json) printJson(record);
        else process.stdout.write(experimentText(record));
      });
    });

  experiment
    .command('list')
    .description('experiments, newest first')
    .option('--json', 'print them as JSON')
    .action(async (opts: { json?: boolean }, command: Command) => {
      await withClients(command, async (clients) => {
        const records = await clients.optimizer.experiments.list.query({ limit: 100 });
        if (opts.json) printJson(records);
        else
          printTable(
            records.map((r) => ({
              id: r.id,
              name: r.name,
              status: r.status,
              requests: `${r.progress.requestsDone}/${r.progress.requestsPlanned}`,
              cells: `${r.progress.cellsDone}/${r.progress.cellsTotal}`,
              created: r.createdAt,
            })),
          );
      });
    });

  experiment
    .command('cancel <id>')
    .description('stop an experiment (resumable)')
    .action(async (id: string, _opts: unknown, command: Command) => {
      await withClients(command, async (clients) => {
        const record = await clients.optimizer.experiments.cancel.mutate({ id });
        process.stdout.write(`experiment ${id}: ${record.status}\n`);
      });
    });

  experiment
    .command('report <id>')
    .description('the report: unseen table with bootstrap intervals, adaptation, cost; SVG figures')
    .option('--format <list>', 'md, csv, json (comma-separated)', choiceList(FORMATS), ['md'])
    .requiredOption('--out <dir>', 'directory to write the report files to')
    .action(async (id: string, opts: { format: ReportFormat[]; out: string }, command: Command) => {
      await withClients(command, async (clients) => {
        const report = await clients.optimizer.experiments.report.query({ id });
        const files = await writeReportFiles(report, opts.format, opts.out);
        for (const file of files) process.stdout.write(`${file}\n`);
      });
    });
}
