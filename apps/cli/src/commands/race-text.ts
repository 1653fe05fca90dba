import type { Race } from '@metaspo/schemas';
import { count } from '../numbers.js';

/**
 * One line per race: how many candidates each round evaluated and how many finished on the
 * whole sample, the prefixes they ran on, and the requests the rounds sent.
 */
export function raceLines(races: readonly Race[]): string[] {
  if (races.length === 0) return ['racing: no race has run yet'];
  const requests = races.reduce((n, race) => n + race.rounds.reduce((m, r) => m + r.requests, 0), 0);
  const dropped = races.reduce((n, race) => n + race.rounds.reduce((m, r) => m + r.dropped.length, 0), 0);
  const lines = [
    `racing: ${races.length} races dropped ${count(dropped)} candidates; their rounds sent ${count(requests)} base requests (the finishers' whole-sample evaluations are in the counts above)`,
  ];
  for (const race of races) {
    const last = race.rounds.at(-1);
    const alive = race.rounds.map((r) => r.evaluated.length);
    const finished = last ? last.evaluated.length - last.dropped.length : 0;
    const sizes = race.rounds.map((r) => r.size).join(', ');
    const sent = race.rounds.reduce((n, r) => n + r.requests, 0);
    lines.push(
      `  ${race.scope}: candidates ${[...alive, finished].join(' -> ')} finished (prefixes of ${sizes} examples per task), ${count(sent)} requests in rounds`,
    );
  }
  return lines;
}
