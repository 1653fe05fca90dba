import { readFileSync } from 'node:fs';
import path from 'node:path';
import {
  AnswerKindSchema,
  type DatasetImportInput,
  type FetchReport,
  ImportFormatSchema,
  MetricSchema,
  type TaskSpec,
} from '@metaspo/schemas';
import { type Command, Option } from 'commander';
import { withClients } from '../clients.js';
import { printJson, printTable } from '../output.js';
import { registerDatasetsSampleCommand } from './datasets-sample.js';

const answerTypeText = (spec: TaskSpec) =>
  spec.answerType.kind === 'option' ? `option(${spec.answerType.optionCount})` : spec.answerType.kind;

function printFetchReport(report: FetchReport): void {
  printTable(
    report.tasks.map((t) => ({
      task: t.taskId,
      status: t.status,
      read: t.recordsRead,
      expected: t.expectedRecords ?? '',
      train: t.counts.train,
      test: t.counts.test,
      skipped: t.skipped.map((s) => `${s.count} ${s.reason}`).join('; '),
    })),
  );
  for (const u of report.unavailable) process.stdout.write(`unavailable: ${u.taskId} (${u.reason})\n`);
  if (report.assets.length === 0) return;
  process.stdout.write('\nprotocol files:\n');
  printTable(report.assets.map((a) => ({ asset: a.id, status: a.status, records: a.records })));
}

export function registerDatasetsCommands(program: Command): void {
  const datasets = program
    .command('datasets')
    .description(
      'the task catalog: list, show, sample a split, fetch the benchmark files, import your own data',
    );
  registerDatasetsSampleCommand(datasets);

  datasets
    .command('list')
    .description('every task with its answer type and format, metric, and imported train / test examples')
    .option('--domain <domain>', 'only this domain')
    .option('--json', 'print JSON')
    .action((opts: { domain?: string; json?: boolean }, command: Command) =>
      withClients(command, async ({ datasets }) => {
        const imported = new Map((await datasets.datasets.list.query()).map((d) => [d.taskId, d]));
        const tasks = await datasets.tasks.list.query(opts.domain ? { domain: opts.domain } : undefined);
        if (opts.json) return printJson({ tasks, datasets: [...imported.values()] });
        // The test count matters: a run evaluates min(testSize, test) examples (testSize 500 by default).
        const notImported = (t: TaskSpec) => (t.available ? '-' : 'unavailable');
        printTable(
          tasks.map((t) => ({
            id: t.id,
            domain: t.domain,
            answer: answerTypeText(t),
            format: t.answerFormat,
            metric: t.metric,
            train: imported.get(t.id)?.counts.train ?? notImported(t),
            test: imported.get(t.id)?.counts.test ?? notImported(t),
          })),
        );
      }),
    );

  datasets
    .command('show')
    .description('a task spec, its import report and a few test examples')
    .argument('<task>', 'task id')
    .option('--json', 'print JSON')
    .action((taskId: string, opts: { json?: boolean }, command: Command) =>
      withClients(command, async ({ datasets }) => {
        const spec = await datasets.tasks.get.query({ id: taskId });
        const dataset = (await datasets.datasets.list.query()).find((d) => d.taskId === taskId) ?? null;
        const examples = dataset
          ? (await datasets.examples.page.query({ taskId, split: 'test', limit: 3 })).items
          : [];
        if (opts.json) return printJson({ task: spec, dataset, examples });
        process.stdout.write(`${spec.id} (${spec.domain}): ${spec.description}\n`);
        process.stdout.write(
          `answer ${answerTypeText(spec)} (${spec.answerFormat === 'bare' ? 'bare: the whole reply is the answer' : 'tagged: the last <answer> tag'}), metric ${spec.metric}, importer ${spec.importer}\n`,
        );
        if (spec.labelSpace) process.stdout.write(`labels: ${spec.labelSpace.join(', ')}\n`);
        if (spec.source)
          process.stdout.write(
            `source: ${spec.source.urls.join('\n        ')}\nlicense: ${spec.source.license}\n`,
          );
        if (!spec.available) process.stdout.write(`unavailable: ${spec.unavailableReason}\n`);
        process.stdout.write(`\ninitial user prompt:\n${spec.initialUserPrompt}\n\n`);
        if (!dataset)
          return void process.stdout.write(
            'no examples imported yet: run `metaspo datasets fetch --task ID`\n',
          );
        process.stdout.write(
          `imported: ${dataset.counts.train} train / ${dataset.counts.test} test (${dataset.splitMethod})\n`,
        );
        for (const s of dataset.skipped) process.stdout.write(`skipped ${s.count}: ${s.reason}\n`);
        for (const e of examples) process.stdout.write(`\n[${e.id}] answer ${e.answer}\n${e.question}\n`);
      }),
    );

  datasets
    .command('fetch')
    .description(
      'download the pinned public files and protocol files (or read them with --from), verify sha256, import',
    )
    .option(
      '--domain <domain>',
      'every task of a domain (medical, review, reasoning, safety, grounding, procedural)',
    )
    .option('--task <id...>', 'these tasks')
    .option('--all', 'every task')
    .option(
      '--from <dir>',
      'read the files from a folder laid out like ../shared/datasets instead of downloading',
    )
    .option('--json', 'print JSON')
    .action(
      (
        opts: { domain?: string; task?: string[]; all?: boolean; from?: string; json?: boolean },
        command: Command,
      ) =>
        withClients(command, async ({ datasets }) => {
          if ([opts.domain, opts.task, opts.all].filter(Boolean).length !== 1) {
            throw new Error('give exactly one of --domain D, --task T or --all');
          }
          const report = await datasets.fetch.mutate({
            ...(opts.domain ? { domain: opts.domain } : {}),
            ...(opts.task ? { taskIds: opts.task } : {}),
            ...(opts.all ? { all: true } : {}),
            ...(opts.from ? { from: path.resolve(opts.from) } : {}),
          });
          if (opts.json) printJson(report);
          else printFetchReport(report);
        }),
    );

  datasets
    .command('import')
    .description('import your own data as a task (one transaction: a bad file leaves nothing behind)')
    .argument('<file>', 'the data file')
    .requiredOption('--task-id <id>', 'id of the new task')
    .addOption(
      new Option('--format <format>', 'file format')
        .choices(ImportFormatSchema.options)
        .makeOptionMandatory(),
    )
    .option('--question-field <field>', 'field/column with the question', 'question')
    .option('--answer-field <field>', 'field/column with the gold answer', 'answer')
    .option('--options-field <field>', 'option tasks: field with the options', 'options')
    .option('--split-field <field>', 'field with "train"/"test"; absent: a seeded 30/70 split', 'split')
    .option('--domain <domain>', 'domain of the task', 'custom')
    .addOption(
      new Option('--answer-type <type>', 'answer type')
        .choices(AnswerKindSchema.options)
        .default('free-text'),
    )
    .option('--labels <labels>', 'label tasks: comma-separated label space')
    .addOption(
      new Option('--metric <metric>', 'metric (default by answer type)').choices(MetricSchema.options),
    )
    .option('--json', 'print JSON')
    .action((file: string, opts: ImportFlags, command: Command) =>
      withClients(command, async ({ datasets }) => {
        const input: DatasetImportInput = {
          taskId: opts.taskId,
          format: opts.format,
          fileName: file,
          content: readFileSync(file, 'utf8'),
          questionField: opts.questionField,
          answerField: opts.answerField,
          optionsField: opts.optionsField,
          splitField: opts.splitField,
          domain: opts.domain,
          answerType: opts.answerType,
          ...(opts.labels ? { labels: opts.labels.split(',').map((l) => l.trim()) } : {}),
          ...(opts.metric ? { metric: opts.metric } : {}),
        };
        const report = await datasets.import.mutate(input);
        if (opts.json) return printJson(report);
        process.stdout.write(
          `${report.taskId}: ${report.status}, ${report.counts.train} train / ${report.counts.test} test (${report.splitMethod})\n`,
        );
        for (const s of report.skipped) process.stdout.write(`skipped ${s.count}: ${s.reason}\n`);
      }),
    );
}

interface ImportFlags {
  taskId: string;
  format: DatasetImportInput['format'];
  questionField: string;
  answerField: string;
  optionsField: string;
  splitField: string;
  domain: string;
  answerType: NonNullable<DatasetImportInput['answerType']>;
  labels?: string;
  metric?: NonNullable<DatasetImportInput['metric']>;
  json?: boolean;
}
