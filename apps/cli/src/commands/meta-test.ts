import fs from 'node:fs';
import path from 'node:path';
import {
  type CandidateSelection,
  CandidateSelectionSchema,
  type ExecutionMode,
  type MetaTestRecord,
  type MetaTestStartInput,
  type Scoring,
  ScoringSchema,
  type UserPromptOrigin,
  UserPromptOriginSchema,
} from '@metaspo/schemas';
import { type Command, Option } from 'commander';
import { type PlatformClients, withClients } from '../clients.js';
import { positiveInteger } from '../options.js';
import { printJson } from '../output.js';
import { executionOption } from './execution-option.js';
import { metaTestProgressLine, printMetaTest } from './meta-test-text.js';
import { PLAIN_PROGRESS_INTERVAL_MS } from './run-progress.js';

interface MetaTestFlags {
  run?: string;
  systemFile: string[];
  tasks?: string;
  domain?: string;
  testSize?: number;
  trainSize?: number;
  userPrompts?: UserPromptOrigin;
  userPromptCount?: number;
  scoring?: Scoring;
  iterations?: number;
  beam?: number;
  userSelection?: CandidateSelection;
  execution?: ExecutionMode;
  fixed: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const POLL_MS = 500;

function startInput(kind: 'unseen' | 'adapt', flags: MetaTestFlags): MetaTestStartInput {
  if (!flags.run && flags.systemFile.length === 0)
    throw new Error('give --run ID or at least one --system-file F');
  const tasks = flags.tasks ? flags.tasks.split(',').map((t) => t.trim()) : flags.domain;
  const { scoring, userPrompts } = flags;
  const input: MetaTestStartInput = {
    kind,
    includeFixed: flags.fixed,
    systemPrompts: flags.systemFile.map((file) => ({
      label: path.basename(file).replace(/\.[^.]+$/, ''),
      prompt: fs.readFileSync(file, 'utf8').trim(),
    })),
    ...(flags.run ? { runId: flags.run } : {}),
    ...(tasks ? { tasks } : {}),
    ...(scoring ? { scoring } : {}),
    ...(userPrompts ? { userPrompts } : {}),
    ...(flags.execution ? { execution: flags.execution } : {}),
    ...(flags.userSelection ? { userSelection: flags.userSelection } : {}),
  };
  const numbers = {
    testSize: flags.testSize,
    trainSize: flags.trainSize,
    unseenUserPrompts: flags.userPromptCount,
    iterations: flags.iterations,
    beamSize: flags.beam,
  };
  for (const [key, value] of Object.entries(numbers))
    if (value !== undefined) Object.assign(input, { [key]: value });
  return input;
}

/** Polls until the meta-test ends, with a progress line on stderr now and then. */
export async function waitForMetaTest(
  clients: PlatformClients,
  id: string,
  quiet: boolean,
): Promise<MetaTestRecord> {
  const tty = process.stderr.isTTY === true;
  let printedAt = 0;
  for (;;) {
    const record = await clients.optimizer.metaTests.get.query({ id });
    if (record.status !== 'running') {
      if (!quiet && tty && printedAt > 0) process.stderr.write('\n');
      return record;
    }
    const line = metaTestProgressLine(record);
    if (!quiet && line && (tty || Date.now() - printedAt >= PLAIN_PROGRESS_INTERVAL_MS)) {
      process.stderr.write(tty ? `\r\x1b[2K${line}` : `${line}\n`);
      printedAt = Date.now();
    }
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Whether the meta-test's scores are simulated: its base model is its run's, else the default simulator. */
async function isSimulated(clients: PlatformClients, record: MetaTestRecord): Promise<boolean> {
  if (record.runId === null) return true;
  return (await clients.optimizer.runs.get.query({ id: record.runId })).simulated;
}

/** Stops the meta-test on Ctrl-C (it stays resumable) instead of leaving it running. */
function cancelOnInterrupt(clients: PlatformClients, id: string): () => void {
  const onSignal = () => {
    process.stderr.write(`\ncancelling meta-test ${id} (resume with: metaspo meta-test resume ${id})\n`);
    clients.optimizer.metaTests.cancel.mutate({ id }).catch(() => {});
  };
  process.once('SIGINT', onSignal);
  return () => process.off('SIGINT', onSignal);
}

function register(group: Command, kind: 'unseen' | 'adapt', description: string): Command {
  return group
    .command(kind)
    .description(description)
    .option('--run <id>', 'compare the optimized system prompt of this run')
    .option('--system-file <file>', 'a system prompt to compare (label = file name); repeatable', collect, [])
    .option('--tasks <ids>', 'comma-separated unseen task ids')
    .option('--domain <domain>', "a domain's default meta-test tasks")
    .option('--no-fixed', 'leave out the fixed default / chain-of-thought / service prompts')
    .option('--test-size <n>', 'test examples per evaluation', positiveInteger)
    .option('--train-size <n>', 'train examples per evaluation', positiveInteger)
    .addOption(
      new Option('--scoring <mode>', "strict or lenient (default: the run's scoring, else strict)").choices(
        ScoringSchema.options,
      ),
    )
    .addOption(executionOption("the meta-test (default: the run's execution, else live)"))
    .option('--json', 'print the meta-test record as JSON');
}

/** Waits for the meta-test, prints its result (or why it stopped) and sets the exit code. */
async function followMetaTest(
  clients: PlatformClients,
  started: MetaTestRecord,
  json: boolean,
): Promise<void> {
  // Before the first line: whoever reads it may press Ctrl-C at once.
  const release = cancelOnInterrupt(clients, started.id);
  try {
    if (!json)
      process.stderr.write(`meta-test ${started.id} (${started.kind}) on ${started.taskIds.join(', ')}\n`);
    const record = await waitForMetaTest(clients, started.id, json);
    if (json) printJson(record);
    else printMetaTest(record, await isSimulated(clients, record));
    if (record.status !== 'completed') process.exitCode = 1;
  } finally {
    release();
  }
}

export function registerMetaTestCommands(program: Command): void {
  const group = program.command('meta-test').description('judge system prompts on unseen tasks');
  const run = (kind: 'unseen' | 'adapt') => async (flags: MetaTestFlags, command: Command) => {
    await withClients(command, async (clients) => {
      const started = await clients.optimizer.metaTests.start.mutate(startInput(kind, flags));
      await followMetaTest(clients, started, flags.json === true);
    });
  };
  register(
    group,
    'unseen',
    "unseen generalization: system prompts x N user prompts per unseen task (the reference's, else generated), test split",
  )
    .addOption(
      new Option(
        '--user-prompts <origin>',
        "reference (the reference's user prompts; the default where the registry holds them) or generated",
      ).choices(UserPromptOriginSchema.options),
    )
    .option(
      '--user-prompt-count <n>',
      'user prompts per task (default 10: the first 10 of the reference)',
      positiveInteger,
    )
    .action(run('unseen'));
  register(group, 'adapt', 'test-time adaptation: ProTeGi per unseen task with each system prompt fixed')
    .option('--iterations <n>', 'ProTeGi iterations (default 6)', positiveInteger)
    .option('--beam <n>', 'beam width (default 3)', positiveInteger)
    .addOption(
      new Option(
        '--user-selection <mode>',
        "full scores every rewrite on the whole train sample; racing races each level's rewrites against the kept ones (default: the run's userSelection, else full)",
      ).choices(CandidateSelectionSchema.options),
    )
    .action(run('adapt'));
  group
    .command('resume <id>')
    .description(
      'run a cancelled, failed or interrupted meta-test again; what it computed replays from the cache',
    )
    .option('--json', 'print the meta-test record as JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      await withClients(command, async (clients) => {
        const resumed = await clients.optimizer.metaTests.resume.mutate({ id });
        await followMetaTest(clients, resumed, flags.json === true);
      });
    });
  group
    .command('cancel <id>')
    .description('stop a running meta-test: its in-flight calls are cancelled, it stays resumable')
    .option('--json', 'print the meta-test record as JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      await withClients(command, async (clients) => {
        const record = await clients.optimizer.metaTests.cancel.mutate({ id });
        if (flags.json) printJson(record);
        else process.stdout.write(`meta-test ${record.id} ${record.status}\n`);
      });
    });
  group
    .command('delete <id>')
    .description(
      'remove a stopped meta-test with its nodes and events (the cache and the ledger keep its calls)',
    )
    .option('--json', 'print JSON')
    .action(async (id: string, flags: { json?: boolean }, command: Command) => {
      await withClients(command, async (clients) => {
        const removed = await clients.optimizer.metaTests.delete.mutate({ id });
        if (flags.json) printJson(removed);
        else
          process.stdout.write(
            `meta-test ${removed.id} deleted (${removed.nodes} nodes, ${removed.events} events)\n`,
          );
      });
    });
}
