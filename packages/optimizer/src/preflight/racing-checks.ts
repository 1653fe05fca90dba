import { type Metric, type RunConfig, racesSystemCandidates, racesUserCandidates } from '@metaspo/schemas';
import { roundSizes } from '../engine/racing-schedule.js';
import { issueAt, type PreflightFindings } from './findings.js';
import type { ResolvedTask } from './preflight.js';

/** Metrics that are the mean of a 0/1 outcome per item, what a race compares. */
const PER_ITEM_METRICS: ReadonlySet<Metric> = new Set(['accuracy', 'exact-match', 'contains']);

export function checkRacing(
  config: RunConfig,
  tasks: readonly ResolvedTask[],
  findings: PreflightFindings,
): void {
  const asked = [
    {
      field: 'selection',
      loop: "outer loop's system candidates",
      on: config.selection,
      races: racesSystemCandidates(config),
    },
    {
      field: 'userSelection',
      loop: 'user candidates of an inner loop or of ProTeGi',
      on: config.userSelection,
      races: racesUserCandidates(config),
    },
  ] as const;
  for (const { field, loop, on, races } of asked) {
    if (on === 'racing' && !races) {
      findings.warnings.push(
        issueAt([field], `racing races the ${loop}; method ${config.method} has none, so it scores in full`),
      );
    }
  }
  // A race reads each item as right or wrong; a metric that is not the share of right items is
  // decided otherwise than the race compares.
  const notPerItem = tasks.filter((t) => !PER_ITEM_METRICS.has(t.metric));
  const raced = asked.find((a) => a.races);
  if (raced && notPerItem.length > 0) {
    findings.warnings.push(
      issueAt(
        [raced.field],
        `the race compares the share of right answers, but ${notPerItem.map((t) => `${t.id} (${t.metric})`).join(', ')} ${notPerItem.length === 1 ? 'is' : 'are'} scored otherwise: its drops are not bounded for that metric's decision`,
        'race tasks scored by accuracy, exact-match or contains, or use full selection',
      ),
    );
  }
  const rounds = roundSizes(config.trainSize).length;
  if (config.execution === 'batch' && asked.some((a) => a.races) && rounds > 1) {
    findings.warnings.push(
      issueAt(
        ['execution'],
        `a race under execution: batch waits for one batch per round: ${rounds} batch turnarounds per raced loop instead of 1`,
        'see the wall time of `metaspo train --plan`; racing saves requests, batch halves their price, together they take longer',
      ),
    );
  }
}
