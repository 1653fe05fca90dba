import { readFileSync } from 'node:fs';
import { AnswerKeyEntrySchema } from '@metaspo/schemas';
import { createAnswerKey, FAULT_KINDS, type FaultKind, startSimServer } from '@metaspo/simulator';
import type { Command } from 'commander';
import { z } from 'zod';
import { withClients } from '../clients.js';
import { choiceList, fraction, nonNegativeNumber, port } from '../options.js';

interface SimServeFlags {
  port: number;
  host: string;
  latencyMs: number;
  jitterMs: number;
  failRate: number;
  failKinds: FaultKind[];
  malformedRate?: number;
  tasksFile?: string;
  tasks?: string;
  batchDelayMs: number;
  batchCancelDelayMs: number;
}

function readAnswerKeyFile(file: string) {
  const parsed = z.array(AnswerKeyEntrySchema).safeParse(JSON.parse(readFileSync(file, 'utf8')));
  if (!parsed.success) {
    const issue = parsed.error.issues[0];
    throw new Error(
      `${file}: not a JSON array of answer-key entries (${issue?.path.join('.')}: ${issue?.message})`,
    );
  }
  return parsed.data;
}

/**
 * The gold answers of the registry's imported tasks (the data directory, or `--server`): what
 * the simulated base model knows when no task file is given.
 */
async function answerKeyFromRegistry(command: Command, only: string[] | undefined) {
  return withClients(command, async ({ datasets }) => {
    const imported = (await datasets.datasets.list.query()).map((d) => d.taskId);
    const taskIds = only ?? imported;
    return taskIds.length === 0 ? [] : datasets.answerKey.query({ taskIds });
  });
}

export function registerSimCommands(program: Command): void {
  const sim = program.command('sim').description('the simulated LLM (sim:default, sim:weak, sim:strong)');
  sim
    .command('serve')
    .description(
      'serve OpenAI- and Anthropic-compatible endpoints backed by the simulator (scores are simulated)',
    )
    .option('--port <port>', 'port to listen on (0 picks a free one)', port, 8089)
    .option('--host <host>', 'interface to bind', '127.0.0.1')
    .option(
      '--latency-ms <ms>',
      'latency per model request, from its arrival to the answer',
      nonNegativeNumber,
      0,
    )
    .option('--jitter-ms <ms>', 'extra random latency, up to this much', nonNegativeNumber, 0)
    .option('--fail-rate <rate>', 'share of model requests that fail', fraction, 0)
    .option('--fail-kinds <kinds>', `comma-separated: ${FAULT_KINDS.join(',')}`, choiceList(FAULT_KINDS), [
      ...FAULT_KINDS,
    ])
    .option(
      '--malformed-rate <rate>',
      'share of optimizer replies malformed on purpose (default 0.05)',
      fraction,
    )
    .option(
      '--batch-delay-ms <ms>',
      'how long a batch (OpenAI /v1/batches, Anthropic message batches) stays in progress after its creation',
      nonNegativeNumber,
      0,
    )
    .option(
      '--batch-cancel-delay-ms <ms>',
      'how long a cancelled batch stays cancelling before it ends with the lines it answered',
      nonNegativeNumber,
      0,
    )
    .option('--tasks-file <file>', 'JSON array of answer-key entries the base model knows')
    .option(
      '--tasks <ids>',
      'comma-separated task ids whose answers come from the registry (default: every imported task)',
    )
    .action(async (flags: SimServeFlags, command: Command) => {
      const entries = flags.tasksFile
        ? readAnswerKeyFile(flags.tasksFile)
        : await answerKeyFromRegistry(
            command,
            flags.tasks?.split(',').map((t) => t.trim()),
          );
      if (entries.length === 0) {
        process.stderr.write(
          'sim serve: the answer key is empty (import tasks with `metaspo datasets fetch`, or give --tasks-file), so every base-model question is unknown to the simulator\n',
        );
      } else {
        process.stderr.write(`sim serve: answer key of ${entries.length} questions\n`);
      }
      const server = await startSimServer({
        answerKey: createAnswerKey(entries),
        host: flags.host,
        port: flags.port,
        latencyMs: flags.latencyMs,
        jitterMs: flags.jitterMs,
        failRate: flags.failRate,
        failKinds: flags.failKinds,
        malformedRate: flags.malformedRate,
        batch: { completionDelayMs: flags.batchDelayMs, cancelDelayMs: flags.batchCancelDelayMs },
      });
      process.stdout.write(`${server.url}\n`);
      await new Promise<void>((resolve) => {
        process.once('SIGINT', resolve);
        process.once('SIGTERM', resolve);
      });
      await server.close();
      process.stderr.write(`sim serve: stopped after ${server.stats().answered} answered requests\n`);
    });
}
