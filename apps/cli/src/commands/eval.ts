import fs from 'node:fs';
import { DEFAULT_SCORING, type EvaluationResult, SCORING_MODES, type Scoring } from '@metaspo/schemas';
import { type Command, Option } from 'commander';
import { withClients } from '../clients.js';
import { count, counted, scoreText } from '../numbers.js';
import { integer, positiveInteger } from '../options.js';
import { printJson, printTable } from '../output.js';

interface EvalOptions {
  task: string;
  system?: string;
  systemFile?: string;
  user?: string;
  userFile?: string;
  split: 'train' | 'test';
  n: number;
  seed: number;
  model: string;
  placement: 'system' | 'user-prefix';
  scoring: Scoring;
  failures: number;
  json?: boolean;
}

/** Exactly one of the text flag and the file flag. */
function promptFrom(text: string | undefined, file: string | undefined, name: string): string {
  if ((text === undefined) === (file === undefined)) {
    throw new Error(`give exactly one of --${name} <text> and --${name}-file <file>`);
  }
  return text ?? fs.readFileSync(file!, 'utf8');
}

const oneLine = (text: string, max: number) => {
  const flat = text.replace(/\s+/g, ' ').trim();
  return flat.length > max ? `${flat.slice(0, max - 1)}…` : flat;
};

/** The --scoring option of every command that reads responses. */
export const scoringOption = () =>
  new Option(
    '--scoring <mode>',
    'strict: only the last <answer> tag counts (the reference); lenient: also untagged answers',
  )
    .choices(SCORING_MODES)
    .default(DEFAULT_SCORING);

/** "format failures" in strict scoring are missing tags; in lenient ones, answers that could not be read. */
const formatFailureNoun = (scoring: Scoring) =>
  scoring === 'strict' ? 'format failures (no readable answer tag)' : 'unreadable answers';

function printEvaluation(result: EvaluationResult, failuresShown: number): void {
  const wrong = result.items.filter((item) => !item.correct);
  const failedCalls = wrong.filter((item) => item.error !== undefined).length;
  const otherWrong = wrong.length - failedCalls - result.formatFailures;
  process.stdout.write(
    `${result.taskId} (${result.split} split, ${result.model}): ${result.metric} ` +
      `${scoreText(result.score, { scoring: result.scoring, simulated: result.model.startsWith('sim:') })}` +
      ` — ${count(result.correct)}/${counted(result.n, 'example')} correct\n` +
      `evaluation ${result.id}; ${counted(result.calls, 'request')} (${count(result.cachedCalls)} served from the cache), ` +
      `${count(result.usage.promptTokens)} prompt + ${count(result.usage.completionTokens)} completion tokens\n` +
      `wrong: ${otherWrong} wrong answers, ${result.formatFailures} ${formatFailureNoun(result.scoring)}, ` +
      `${failedCalls} requests that failed after the gateway's retries\n`,
  );
  const shown = wrong.slice(0, failuresShown);
  if (shown.length === 0) return;
  printTable(
    shown.map((item) => ({
      example: item.exampleId,
      question: oneLine(item.question, 48),
      gold: oneLine(item.gold, 16),
      prediction: item.error ? `(${oneLine(item.error, 30)})` : (item.prediction ?? '(none)'),
      response: oneLine(item.response, 40),
    })),
  );
}

export function registerEvalCommands(program: Command): void {
  program
    .command('eval')
    .description('score a (system prompt, user prompt) pair on a task and summarise its failures')
    .requiredOption('--task <id>', 'task id (see `metaspo datasets list`)')
    .option('--system <text>', 'system prompt ("" for none)')
    .option('--system-file <file>', 'read the system prompt from a file')
    .option('--user <text>', 'user prompt containing {question} exactly once')
    .option('--user-file <file>', 'read the user prompt from a file')
    .addOption(
      new Option('--split <split>', 'which split to sample').choices(['train', 'test']).default('test'),
    )
    .option('--n <n>', 'examples to sample', positiveInteger, 100)
    .option('--seed <seed>', 'sampling seed', integer, 42)
    .option('--model <ref>', 'base model, provider:model', 'sim:default')
    .addOption(
      new Option(
        '--placement <where>',
        'where the system prompt goes (user-prefix for models without a system role)',
      )
        .choices(['system', 'user-prefix'])
        .default('system'),
    )
    .addOption(scoringOption())
    .option('--failures <k>', 'wrong answers to list', integer, 5)
    .option('--json', 'print the whole evaluation as JSON')
    .action(async (opts: EvalOptions, command: Command) => {
      const systemPrompt = promptFrom(opts.system, opts.systemFile, 'system');
      const userPrompt = promptFrom(opts.user, opts.userFile, 'user');
      await withClients(command, async (clients) => {
        const result = await clients.evaluator.evaluate.mutate({
          systemPrompt,
          userPrompt,
          taskId: opts.task,
          split: opts.split,
          n: opts.n,
          seed: opts.seed,
          model: opts.model,
          systemPlacement: opts.placement,
          scoring: opts.scoring,
        });
        if (opts.json) printJson(result);
        else printEvaluation(result, opts.failures);
      });
    });

  program
    .command('extract')
    .description("read one model response on standard input and show the task's prediction for it")
    .requiredOption('--task <id>', 'task id whose answer type applies')
    .addOption(scoringOption())
    .option('--json', 'print {"prediction": ..., "valid": ...}')
    .action(async (opts: { task: string; scoring: Scoring; json?: boolean }, command: Command) => {
      const response = fs.readFileSync(0, 'utf8');
      await withClients(command, async (clients) => {
        const extraction = await clients.evaluator.extract.query({
          taskId: opts.task,
          response,
          scoring: opts.scoring,
        });
        if (opts.json) printJson(extraction);
        else
          process.stdout.write(
            `prediction: ${extraction.prediction ?? 'none'}\nvalid: ${extraction.valid}\n` +
              (extraction.valid ? '' : `(${opts.scoring}: no readable answer; it counts as wrong)\n`),
          );
      });
    });
}
