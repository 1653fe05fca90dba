import fs from 'node:fs';
import path from 'node:path';
import type { ConfigIssue, ExecutionMode, RunRecord } from '@metaspo/schemas';
import type { Command } from 'commander';
import YAML from 'yaml';
import { type PlatformClients, withClients } from '../clients.js';
import { printJson } from '../output.js';
import { executionOption, withExecution } from './execution-option.js';
import { planText } from './experiment-text.js';
import { followRun } from './run-progress.js';
import { printRunText, runSummary } from './run-text.js';

/** Stops the run on Ctrl-C (it stays resumable) instead of leaving it running. */
export function cancelOnInterrupt(clients: PlatformClients, runId: string): () => void {
  const onSignal = () => {
    process.stderr.write(`\ncancelling run ${runId} (resume with: metaspo runs resume ${runId})\n`);
    clients.optimizer.runs.cancel.mutate({ id: runId }).catch(() => {});
  };
  process.once('SIGINT', onSignal);
  return () => process.off('SIGINT', onSignal);
}

/**
 * The config text with a `metaPrompts: path` replaced by the file's text, read relative to the
 * config file: the run stores that text, so the server never reads a client path and a resumed
 * run needs no file. The path's value is replaced in place on one line, so the line numbers of
 * validation errors still point into the user's file.
 */
export function resolveMetaPrompts(yaml: string, configFile: string): string {
  const doc = YAML.parseDocument(yaml);
  const node = doc.get('metaPrompts', true);
  if (!YAML.isScalar(node) || typeof node.value !== 'string' || !node.range) return yaml;
  const file = path.resolve(path.dirname(configFile), node.value);
  let text: string;
  try {
    text = fs.readFileSync(file, 'utf8');
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new Error(`${configFile}: metaPrompts: cannot read ${file} (${reason})`);
  }
  const [start, end] = node.range;
  return `${yaml.slice(0, start)}${JSON.stringify({ source: node.value, text })}${yaml.slice(end)}`;
}

/** What the run will do, on stderr: models, scoring and meta-prompts. */
function echoConfig(run: RunRecord): string[] {
  const { config, metaPrompts } = run;
  return [
    `method ${config.method}, ${config.iterations} iterations, base ${config.baseModel}, optimizer ${config.optimizerModel}`,
    `scoring ${config.scoring}, trainSize ${config.trainSize}, testSize ${config.testSize}, seed ${config.seed}, execution ${config.execution}`,
    `meta-prompts ${metaPrompts.name} v${metaPrompts.version} (${metaPrompts.source}, sha256 ${metaPrompts.hash.slice(0, 12)})`,
  ];
}

/** The preflight's warnings (a test sample larger than a task's, racing that cannot race...), at their lines. */
function warningLines(warnings: readonly ConfigIssue[], file: string): string[] {
  return warnings.map(
    (w) =>
      `warning: ${file}${w.line === undefined ? '' : `:${w.line}`}${w.path ? ` ${w.path}` : ''}: ${w.message}${w.hint ? ` (${w.hint})` : ''}`,
  );
}

export function registerTrainCommands(program: Command): void {
  program
    .command('train')
    .description('optimize a system prompt with MetaSPO (or a variant/baseline) from a YAML run config')
    .requiredOption('--config <file>', 'run config YAML (see configs/quick.yaml)')
    .option('--name <name>', 'a name for the run')
    .option('--json', 'print one JSON object at the end instead of text')
    .option('--plan', "print the run's plan (requests, tokens, cost, cached) and stop: sends no request")
    .addOption(executionOption('the run'))
    .action(
      async (
        opts: { config: string; name?: string; json?: boolean; plan?: boolean; execution?: ExecutionMode },
        command: Command,
      ) => {
        const yaml = withExecution(
          resolveMetaPrompts(fs.readFileSync(opts.config, 'utf8'), opts.config),
          opts.execution,
        );
        await withClients(command, async (clients) => {
          if (opts.plan) {
            const plan = await clients.optimizer.experiments.planRun.query({ config: yaml });
            if (opts.json) printJson(plan);
            else process.stdout.write(planText(plan));
            return;
          }
          const created = await clients.optimizer.runs.create.mutate({
            config: yaml,
            ...(opts.name ? { name: opts.name } : {}),
          });
          // Before the first line: whoever reads it may press Ctrl-C at once.
          const release = cancelOnInterrupt(clients, created.id);
          try {
            if (!opts.json) {
              process.stderr.write(`run ${created.id} started\n`);
              for (const line of echoConfig(created)) process.stderr.write(`  ${line}\n`);
              for (const line of warningLines(created.warnings, opts.config))
                process.stderr.write(`${line}\n`);
            }
            await clients.optimizer.runs.start.mutate({ id: created.id });
            const run = await followRun(clients, created.id);
            if (opts.json) printJson(runSummary(run));
            else printRunText(run);
            if (run.status !== 'completed') process.exitCode = 1;
          } finally {
            release();
          }
        });
      },
    );
}
