import fs from 'node:fs';
import path from 'node:path';
import {
  type MetaTestRecord,
  type MetaTestStartInput,
  ScoringSchema,
  UserPromptOriginSchema,
} from '@metaspo/schemas';
import type { Command } from 'commander';
import { type PlatformClients, withClients } from '../clients.js';
import { printJson, printTable } from '../output.js';

interface MetaTestFlags {
  run?: string;
  systemFile: string[];
  tasks?: string;
  domain?: string;
  testSize?: string;
  trainSize?: string;
  userPrompts?: string;
  userPromptCount?: string;
  scoring?: string;
  iterations?: string;
  beam?: string;
  fixed: boolean;
  json?: boolean;
}

const collect = (value: string, previous: string[]) => [...previous, value];
const POLL_MS = 500;

function startInput(kind: 'unseen' | 'adapt', flags: MetaTestFlags): MetaTestStartInput {
  if (!flags.run && flags.systemFile.length === 0)
    throw new Error('give --run ID or at least one --system-file F');
  const num = (v: string | undefined) => (v === undefined ? undefined : Number(v));
  const tasks = flags.tasks ? flags.tasks.split(',').map((t) => t.trim()) : flags.domain;
  const choice = <T extends string>(
    flag: string,
    value: string | undefined,
    schema: { options: readonly T[] },
  ) => {
    if (value === undefined) return undefined;
    const found = schema.options.find((o) => o === value);
    if (!found) throw new Error(`${flag} must be one of ${schema.options.join(', ')} (got "${value}")`);
    return found;
  };
  const scoring = choice('--scoring', flags.scoring, ScoringSchema);
  const userPrompts = choice('--user-prompts', flags.userPrompts, UserPromptOriginSchema);
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
  };
  const numbers = {
    testSize: num(flags.testSize),
    trainSize: num(flags.trainSize),
    unseenUserPrompts: num(flags.userPromptCount),
    iterations: num(flags.iterations),
    beamSize: num(flags.beam),
  };
  for (const [key, value] of Object.entries(numbers))
    if (value !== undefined) Object.assign(input, { [key]: value });
  return input;
}

/** Polls until the meta-test ends (bounded by its own completion; each poll is one cheap query). */
export async function waitForMetaTest(
  clients: PlatformClients,
  id: string,
  quiet: boolean,
): Promise<MetaTestRecord> {
  for (;;) {
    const record = await clients.optimizer.metaTests.get.query({ id });
    if (record.status !== 'running') return record;
    if (!quiet && process.stderr.isTTY) process.stderr.write('.');
    await new Promise((resolve) => setTimeout(resolve, POLL_MS));
  }
}

/** Where the compared prompts and the user prompts came from, and how responses were read. */
function printProvenance(record: MetaTestRecord): void {
  const prompts = record.systemPrompts.map((p) => `${p.label} (${p.origin})`).join(', ');
  process.stdout.write(`scoring ${record.scoring}; system prompts: ${prompts}\n`);
  for (const task of record.unseen?.tasks ?? []) {
    process.stdout.write(
      `${task.taskId}: ${task.userPrompts.length} ${task.userPromptOrigin} user prompts\n`,
    );
  }
}

function printUnseen(record: MetaTestRecord): void {
  const result = record.unseen;
  if (!result) return;
  printProvenance(record);
  const row = (name: string, scores: Record<string, number>) => ({ task: name, ...scores });
  printTable([
    ...result.tasks.map((t) => row(t.taskId, t.scores)),
    ...result.domainAverages.map((d) => row(`avg ${d.domain}`, d.scores)),
    row('avg all', result.overall),
  ]);
}

function printAdapt(record: MetaTestRecord): void {
  const result = record.adapt;
  if (!result) return;
  printProvenance(record);
  printTable(
    result.tasks.flatMap((t) =>
      t.curves.map((c) => ({
        task: t.taskId,
        system: c.label,
        'final test': c.points.at(-1)?.testScore ?? null,
        'iters to default': c.iterationsToReachDefault ?? 'never',
        'bar (default final)': t.defaultFinalScore,
      })),
    ),
  );
  process.stdout.write('\nmean test score per iteration\n');
  printTable(
    Object.entries(result.meanCurves).map(([label, curve]) => ({
      system: label,
      ...Object.fromEntries(curve.map((v, i) => [`it${i}`, v])),
    })),
  );
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
    .option('--test-size <n>', 'test examples per evaluation')
    .option('--train-size <n>', 'train examples per evaluation')
    .option('--scoring <mode>', "strict or lenient (default: the run's scoring, else strict)")
    .option('--json', 'print the meta-test record as JSON');
}

/** Waits for the meta-test, prints its result (or why it stopped) and sets the exit code. */
async function followMetaTest(
  clients: PlatformClients,
  started: MetaTestRecord,
  json: boolean,
): Promise<void> {
  if (!json)
    process.stderr.write(`meta-test ${started.id} (${started.kind}) on ${started.taskIds.join(', ')}\n`);
  const record = await waitForMetaTest(clients, started.id, json);
  if (!json && process.stderr.isTTY) process.stderr.write('\n');
  if (json) printJson(record);
  else if (record.status !== 'completed')
    process.stdout.write(`meta-test ${record.status}: ${record.error ?? ''}\n`);
  else if (record.kind === 'unseen') printUnseen(record);
  else printAdapt(record);
  if (record.status !== 'completed') process.exitCode = 1;
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
    'unseen generalization: system prompts x N APE user prompts per unseen task (test split)',
  )
    .option(
      '--user-prompts <origin>',
      "reference (the reference's user prompts; the default where the registry holds them) or generated",
    )
    .option('--user-prompt-count <n>', 'user prompts per task (default 10: the first 10 of the reference)')
    .action(run('unseen'));
  register(group, 'adapt', 'test-time adaptation: ProTeGi per unseen task with each system prompt fixed')
    .option('--iterations <n>', 'ProTeGi iterations (default 6)')
    .option('--beam <n>', 'beam width (default 3)')
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
}
