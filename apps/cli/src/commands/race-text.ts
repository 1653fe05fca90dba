import { type Race, summarizeRace } from '@metaspo/schemas';
import { count } from '../numbers.js';

/**
 * One line per race: how many candidates each round evaluated and how many finished on the
 * whole sample, the prefixes they ran on, and the requests the rounds sent.
 */
export function raceLines(races: readonly Race[]): string[] {
  if (races.length === 0) return ['racing: no race has run yet'];
  const summaries = races.map((race) => ({ scope: race.scope, ...summarizeRace(race) }));
  const requests = summaries.reduce((n, s) => n + s.requests, 0);
  const dropped = summaries.reduce((n, s) => n + s.dropped, 0);
  return [
    `racing: ${races.length} races dropped ${count(dropped)} candidates; their rounds sent ${count(requests)} base requests (the finishers' whole-sample evaluations are in the counts above)`,
    ...summaries.map(
      (s) =>
        `  ${s.scope}: candidates ${[...s.alive, s.finished].join(' -> ')} finished (prefixes of ${s.sizes.join(', ')} examples per task), ${count(s.requests)} requests in rounds`,
    ),
  ];
}
