import {
  DEFAULT_SYSTEM_PROMPT,
  type DemoSummary,
  type RunConfigInput,
  type RunRecord,
} from '@metaspo/schemas';
import type { Command } from 'commander';
import { type PlatformClients, withClients } from '../clients.js';
import { count, scoreText } from '../numbers.js';
import { printJson } from '../output.js';
import { waitForMetaTest } from './meta-test.js';
import { followRun } from './run-progress.js';

interface DemoOptions {
  baseModel: string;
  optimizerModel: string;
}

/** Small enough to finish in well under a minute on two cores with the simulator. */
function demoRunConfig(options: DemoOptions, train: string[], test: string[]): RunConfigInput {
  return {
    name: 'demo',
    method: 'metaspo',
    iterations: 2,
    numSystemCandidates: 4,
    numUserCandidates: 2,
    userTopK: 2,
    trainSize: 20,
    testSize: 50,
    baseModel: options.baseModel,
    optimizerModel: options.optimizerModel,
    metaTrainTasks: train,
    metaTestTasks: test,
    concurrency: 32,
  };
}

/** The JSON contract plus the per-task unseen scores that the text report lists. */
interface DemoResult extends DemoSummary {
  unseenTasks: Array<{ taskId: string; default: number; optimized: number }>;
}

async function runDemo(clients: PlatformClients, options: DemoOptions, quiet: boolean): Promise<DemoResult> {
  const say = (line: string) => {
    if (!quiet) process.stderr.write(`${line}\n`);
  };
  say('1/3 importing the procedural tasks (generated offline, no download)');
  await clients.datasets.fetch.mutate({ domain: 'procedural' });
  const split = await clients.datasets.domains.get.query({ domain: 'procedural' });

  say(
    `2/3 MetaSPO on ${split.train.length} source tasks with ${options.baseModel} (optimizer ${options.optimizerModel})`,
  );
  const created = await clients.optimizer.runs.create.mutate({
    config: demoRunConfig(options, split.train, split.test),
  });
  await clients.optimizer.runs.start.mutate({ id: created.id });
  const run: RunRecord = await followRun(clients, created.id, quiet);
  if (run.status !== 'completed' || !run.result) {
    throw new Error(`demo run ${run.id} ended ${run.status}${run.error ? `: ${run.error}` : ''}`);
  }

  say(`3/3 unseen generalization on ${split.test.join(', ')}: default vs optimized system prompt`);
  const started = await clients.optimizer.metaTests.start.mutate({
    kind: 'unseen',
    runId: run.id,
    systemPrompts: [{ label: 'default', prompt: DEFAULT_SYSTEM_PROMPT }],
    includeFixed: false,
    tasks: split.test,
    unseenUserPrompts: 3,
    testSize: 50,
  });
  const metaTest = await waitForMetaTest(clients, started.id, quiet);
  if (metaTest.status !== 'completed' || !metaTest.unseen) {
    throw new Error(
      `unseen generalization ${metaTest.id} ended ${metaTest.status}${metaTest.error ? `: ${metaTest.error}` : ''}`,
    );
  }
  const { calls } = run.result;
  return {
    runId: run.id,
    simulated: run.simulated,
    scoring: run.config.scoring,
    initialSystemPrompt: run.config.initialSystemPrompt,
    optimizedSystemPrompt: run.result.optimizedSystemPrompt,
    metaTrain: { before: run.result.scores.initial, after: run.result.scores.final },
    unseen: {
      default: metaTest.unseen.overall.default ?? 0,
      optimized: metaTest.unseen.overall.optimized ?? 0,
    },
    unseenTasks: metaTest.unseen.tasks.map((task) => ({
      taskId: task.taskId,
      default: task.scores.default ?? 0,
      optimized: task.scores.optimized ?? 0,
    })),
    calls: {
      base: calls.baseTrain + calls.baseTest + metaTest.calls,
      optimizer: calls.optimizer + calls.optimizerRetries,
      cached: calls.cached,
    },
  };
}

function printDemo(result: DemoResult, target: string): void {
  const pct = (x: number) => scoreText(x, result);
  const label = result.simulated
    ? ' (simulated: scores come from the built-in simulator, not a real model)'
    : '';
  const lines = [
    '',
    `MetaSPO demo, run ${result.runId}${label}`,
    '',
    'Initial system prompt:',
    `  ${result.initialSystemPrompt}`,
    'Optimized system prompt:',
    ...result.optimizedSystemPrompt.split('\n').map((line) => `  ${line}`),
    '',
    `Meta-train (source tasks, train split): before ${pct(result.metaTrain.before)}  after ${pct(result.metaTrain.after)}`,
    `Unseen tasks (test split):              default ${pct(result.unseen.default)}  optimized ${pct(result.unseen.optimized)}`,
    ...result.unseenTasks.map(
      (t) => `  ${t.taskId.padEnd(34)} default ${pct(t.default)}  optimized ${pct(t.optimized)}`,
    ),
    '',
    `Requests: ${count(result.calls.base)} to the base model, ${count(result.calls.optimizer)} to the optimizer; ${count(result.calls.cached)} served from the cache`,
    '',
    `Open the run in the admin app: pnpm metaspo serve --data-dir ${target}  then visit http://127.0.0.1:3000/#/runs/${result.runId}`,
  ];
  process.stdout.write(`${lines.join('\n')}\n`);
}

export function registerDemoCommands(program: Command): void {
  program
    .command('demo')
    .description(
      'offline in a minute: import procedural tasks, run MetaSPO with the simulator, compare on unseen tasks',
    )
    .option('--json', 'print one JSON object instead of text')
    .option('--base-model <ref>', 'the model whose system prompt is optimized', 'sim:default')
    .option('--optimizer-model <ref>', 'the model that writes the candidates', 'sim:default')
    .action(async (opts: { json?: boolean; baseModel: string; optimizerModel: string }, command: Command) => {
      await withClients(command, async (clients) => {
        const result = await runDemo(clients, opts, opts.json === true);
        if (opts.json) {
          const { unseenTasks: _perTask, ...summary } = result;
          printJson(summary satisfies DemoSummary);
        } else printDemo(result, clients.target);
      });
    });
}
