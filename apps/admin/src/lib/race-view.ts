import { parseRaceScope, type Race, type RaceRound, type RaceSummary, summarizeRace } from '@metaspo/schemas';

/** What a race chose among: system prompts in the outer loop, one task's user prompts in the inner. */
export function raceTitle(scope: string): string {
  const parsed = parseRaceScope(scope);
  if (!parsed) return scope;
  return parsed.loop === 'outer'
    ? 'Outer loop: system prompts'
    : `Inner loop: user prompts of ${parsed.taskId ?? 'every task'}`;
}

/**
 * A contestant's name. Ids are candidate indexes (shown from 1); negative ids are the
 * contestants already scored on the whole sample: the outer loop's current system prompt (-1),
 * an inner loop's kept user prompts (-1, -2...).
 */
export function contestantLabel(id: number, scope: string): string {
  if (id >= 0) return `candidate ${id + 1}`;
  if (parseRaceScope(scope)?.loop === 'outer' && id === -1) return 'current';
  return `kept ${-id}`;
}

/** `9 -> 6 -> 4 -> 3 finished`: the candidates alive per round, then those that finished. */
export function aliveText(summary: RaceSummary): string {
  return `${[...summary.alive, summary.finished].join(' -> ')} finished`;
}

/** The races of each iteration in the order the run ran them (the optimizer's order is kept). */
export function racesByIteration(races: readonly Race[]): Array<{ iteration: number | null; races: Race[] }> {
  const groups: Array<{ iteration: number | null; races: Race[] }> = [];
  for (const race of races) {
    const iteration = parseRaceScope(race.scope)?.iteration ?? null;
    const group = groups.find((g) => g.iteration === iteration);
    if (group) group.races.push(race);
    else groups.push({ iteration, races: [race] });
  }
  return groups;
}

/** All races at once: how many candidates they dropped and the requests their rounds sent. */
export function racesTotalText(races: readonly Race[]): string {
  const summaries = races.map(summarizeRace);
  const dropped = summaries.reduce((n, s) => n + s.dropped, 0);
  const requests = summaries.reduce((n, s) => n + s.requests, 0);
  const cached = summaries.reduce((n, s) => n + s.cached, 0);
  const raceCount = races.length === 1 ? '1 race' : `${races.length.toLocaleString()} races`;
  const candidates = dropped === 1 ? '1 candidate' : `${dropped.toLocaleString()} candidates`;
  return `${raceCount} dropped ${candidates}; their rounds sent ${requests.toLocaleString()} base requests (${cached.toLocaleString()} from the cache)`;
}

export interface EntrantRow {
  id: number;
  label: string;
  mean: number;
  upper: number | null;
  leader: boolean;
  dropped: boolean;
  /** Scored on the whole sample before the race (not evaluated by its rounds). */
  fixed: boolean;
}

/** One round's entrants as the table shows them, leaders and drops marked. */
export function entrantRows(round: RaceRound, scope: string): EntrantRow[] {
  const leaders = new Set(round.leaders ?? [round.leader]);
  const dropped = new Set(round.dropped);
  return round.entrants.map((entrant) => ({
    id: entrant.id,
    label: contestantLabel(entrant.id, scope),
    mean: entrant.mean,
    upper: entrant.upper,
    leader: leaders.has(entrant.id),
    dropped: dropped.has(entrant.id),
    fixed: entrant.id < 0,
  }));
}

/** What became of a contestant in a round: leader, dropped, scored in full before the race, or still racing. */
export function outcomeText(row: EntrantRow): string {
  const marks = [
    row.leader && 'leader',
    row.dropped && 'dropped',
    row.fixed && !row.leader && 'scored in full',
  ];
  return marks.filter((mark) => typeof mark === 'string').join(', ') || 'races on';
}

/** An upper bound of (mean - a leader's mean) in percentage points, signed; a leader has none. */
export function boundText(upper: number | null): string {
  if (upper === null) return '–';
  const magnitude = Math.abs(upper * 100).toFixed(1);
  // A bound that rounds to zero has no sign worth showing.
  const sign = magnitude === '0.0' ? '' : upper > 0 ? '+' : '−';
  return `${sign}${magnitude} pts`;
}

/** The heading of one round: its prefix, error level and what it sent. */
export function roundText(round: RaceRound): string {
  const alpha = round.alpha === undefined ? '' : `, α ${round.alpha}`;
  const examples = round.size === 1 ? 'example' : 'examples';
  return `Round ${round.round}: first ${round.size} ${examples} per task${alpha}; ${round.requests.toLocaleString()} requests (${round.cached.toLocaleString()} from the cache)`;
}
