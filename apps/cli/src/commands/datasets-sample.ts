import { type Split, SplitSchema } from '@metaspo/schemas';
import { type Command, Option } from 'commander';
import { withClients } from '../clients.js';
import { integer, positiveInteger } from '../options.js';
import { printJson, printTable } from '../output.js';

/** The reference's default run seed; the test split ignores it (always shuffled with 42). */
const DEFAULT_SEED = 42;
const QUESTION_WIDTH = 80;

const oneLine = (text: string) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > QUESTION_WIDTH ? `${flat.slice(0, QUESTION_WIDTH - 3)}...` : flat;
};

interface SampleFlags {
  task: string;
  split: Split;
  n: number;
  seed: number;
  json?: boolean;
}

/** `datasets sample`: the examples a run with this seed uses, in the order it uses them. */
export function registerDatasetsSampleCommand(datasets: Command): void {
  datasets
    .command('sample')
    .description('the examples a run with this seed uses from a split, in order')
    .requiredOption('--task <id>', 'task id')
    .addOption(new Option('--split <split>', 'split').choices(SplitSchema.options).makeOptionMandatory())
    .requiredOption('--n <n>', 'how many examples (a run uses 50 train / 500 test)', positiveInteger)
    .option('--seed <seed>', 'run seed (the test split is always shuffled with 42)', integer, DEFAULT_SEED)
    .option('--json', 'print JSON')
    .action((opts: SampleFlags, command: Command) =>
      withClients(command, async ({ datasets }) => {
        const examples = await datasets.sample.query({
          taskId: opts.task,
          split: opts.split,
          n: opts.n,
          seed: opts.seed,
        });
        const dataset = (await datasets.datasets.list.query()).find((d) => d.taskId === opts.task);
        const splitMethod = dataset?.splitMethod ?? null;
        if (opts.json) {
          return printJson({ taskId: opts.task, split: opts.split, seed: opts.seed, splitMethod, examples });
        }
        const available = dataset ? dataset.counts[opts.split] : examples.length;
        process.stdout.write(
          `${opts.task} ${opts.split}, seed ${opts.seed}: ${examples.length} of ${available} (${splitMethod ?? 'split method unknown'})\n`,
        );
        printTable(
          examples.map((e, index) => ({
            '#': index + 1,
            id: e.id,
            answer: e.answer,
            question: oneLine(e.question),
          })),
        );
      }),
    );
}
