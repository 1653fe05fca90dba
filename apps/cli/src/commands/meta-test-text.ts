import type { MetaTestRecord } from '@metaspo/schemas';
import { count, counted, percent, SIMULATED_TAG } from '../numbers.js';
import { printTable } from '../output.js';

/** A score cell: a percentage, tagged when the base model is the simulator. */
const scoreCell = (score: number | null | undefined, simulated: boolean) =>
  score === null || score === undefined ? '' : `${percent(score)}${simulated ? ` ${SIMULATED_TAG}` : ''}`;

const scoreCells = (scores: Record<string, number>, simulated: boolean) =>
  Object.fromEntries(Object.entries(scores).map(([label, score]) => [label, scoreCell(score, simulated)]));

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
  if (!result) return;
  printProvenance(record, simulated);
  process.stdout.write('mean score on the unseen tasks (test split), per system prompt\n');
  const row = (name: string, scores: Record<string, number>) => ({
    task: name,
    ...scoreCells(scores, simulated),
  });
  printTable([
    ...result.tasks.map((t) => row(t.taskId, t.scores)),
    ...result.domainAverages.map((d) => row(`avg ${d.domain}`, d.scores)),
    row('avg all', result.overall),
  ]);
}

function printAdapt(record: MetaTestRecord, simulated: boolean): void {
  const result = record.adapt;
  if (!result) return;
  printProvenance(record, simulated);
  printTable(
    result.tasks.flatMap((t) =>
      t.curves.map((c) => ({
        task: t.taskId,
        system: c.label,
        'final (test split)': scoreCell(c.points.at(-1)?.testScore, simulated),
        'iterations to reach default': c.iterationsToReachDefault ?? 'never',
        'default final (test split)': scoreCell(t.defaultFinalScore, simulated),
      })),
    ),
  );
  process.stdout.write('\nmean score on the unseen tasks (test split) per iteration\n');
  printTable(
    Object.entries(result.meanCurves).map(([label, curve]) => ({
      system: label,
      ...Object.fromEntries(curve.map((v, i) => [`it${i}`, scoreCell(v, simulated)])),
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
