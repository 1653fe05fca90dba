import type { MetaTestRecord } from '@metaspo/schemas';
import { count, counted, type ScoreContext, scoreText } from '../numbers.js';
import { printTable } from '../output.js';

const scoreCells = (scores: Record<string, number>, context: ScoreContext) =>
  Object.fromEntries(Object.entries(scores).map(([label, score]) => [label, scoreText(score, context)]));

/** Where the compared prompts and the user prompts came from, and how responses were read. */
function printProvenance(record: MetaTestRecord, simulated: boolean): void {
  const prompts = record.systemPrompts.map((p) => `${p.label} (${p.origin})`).join(', ');
  process.stdout.write(`scoring ${record.scoring}; system prompts: ${prompts}\n`);
  if (simulated) process.stdout.write('scores are simulated: the base model is the built-in simulator\n');
  for (const task of record.unseen?.tasks ?? []) {
    process.stdout.write(
      `${task.taskId}: ${task.userPrompts.length} ${task.userPromptOrigin} user prompts\n`,
    );
  }
}

function printUnseen(record: MetaTestRecord, simulated: boolean): void {
  const result = record.unseen;
  const context = { scoring: record.scoring, simulated };
  if (!result) return;
  printProvenance(record, simulated);
  process.stdout.write('mean score on the unseen tasks (test split), per system prompt\n');
  const row = (name: string, scores: Record<string, number>) => ({
    task: name,
    ...scoreCells(scores, context),
  });
  printTable([
    ...result.tasks.map((t) => row(t.taskId, t.scores)),
    ...result.domainAverages.map((d) => row(`avg ${d.domain}`, d.scores)),
    row('avg all', result.overall),
  ]);
}

function printAdapt(record: MetaTestRecord, simulated: boolean): void {
  const context = { scoring: record.scoring, simulated };
  const result = record.adapt;
  if (!result) return;
  printProvenance(record, simulated);
  printTable(
    result.tasks.flatMap((t) =>
      t.curves.map((c) => ({
        task: t.taskId,
        system: c.label,
        'final (test split)': scoreText(c.points.at(-1)?.testScore, context),
        'iterations to reach default': c.iterationsToReachDefault ?? 'never',
        'default final (test split)': scoreText(t.defaultFinalScore, context),
      })),
    ),
  );
  process.stdout.write('\nmean score on the unseen tasks (test split) per iteration\n');
  printTable(
    Object.entries(result.meanCurves).map(([label, curve]) => ({
      system: label,
      ...Object.fromEntries(curve.map((v, i) => [`it${i}`, scoreText(v, context)])),
    })),
  );
}

/** A finished meta-test in text: its table, or why it stopped; then the calls it made. */
export function printMetaTest(record: MetaTestRecord, simulated: boolean): void {
  if (record.status !== 'completed')
    process.stdout.write(
      `meta-test ${record.id} ${record.status}${record.error ? `: ${record.error}` : ''}\n`,
    );
  else if (record.kind === 'unseen') printUnseen(record, simulated);
  else printAdapt(record, simulated);
  process.stdout.write(
    `${counted(record.calls, 'call')} to the gateway (retries and cached replays included)\n`,
  );
}

/** The one-line progress of a running meta-test, or null before it reported any. */
export function metaTestProgressLine(record: MetaTestRecord): string | null {
  const progress = record.progress;
  if (!progress) return null;
  const failed = progress.failedItems > 0 ? `, ${count(progress.failedItems)} failed items tolerated` : '';
  return `meta-test ${record.id}: ${count(progress.requestsDone)}/${count(progress.requestsPlanned)} requests, ${counted(progress.calls, 'call')}${failed}`;
}
