import { z } from 'zod';
import type { RunConfig } from './run-config.js';

/**
 * One round of a race (`selection: racing` / `userSelection: racing`): what it evaluated, sent
 * and dropped. Ids: a candidate's index; negative for the contestants already scored on the
 * whole sample (-1 the outer loop's current system prompt, -1, -2... an inner loop's kept user
 * prompts).
 */
export const RaceRoundSchema = z.object({
  round: z.number().int().positive(),
  /** Examples per task of this round's prefix of the train sample. */
  size: z.number().int().positive(),
  /** One-sided error of each of the round's drop tests (absent in rounds recorded before it). */
  alpha: z.number().optional(),
  /** The contestant with the highest prefix mean. */
  leader: z.number().int(),
  /** The loop's `keep` best by prefix mean, best first (absent when it keeps one). */
  leaders: z.array(z.number().int()).optional(),
  entrants: z.array(
    z.object({
      id: z.number().int(),
      mean: z.number(),
      /** Upper confidence bound of (this mean - a leader's), the largest over the leaders; null for a leader. */
      upper: z.number().nullable(),
    }),
  ),
  /** Candidates confidently worse than every leader: they stop here. */
  dropped: z.array(z.number().int()),
  /** Candidates evaluated in this round. */
  evaluated: z.array(z.number().int()),
  /** Pair evaluations the round ran. */
  evaluations: z.number().int().nonnegative(),
  /** Base requests new in the round (per pair, the examples past the previous prefix)... */
  requests: z.number().int().nonnegative(),
  /** ...of which the gateway's cache served this many. */
  cached: z.number().int().nonnegative(),
});
export type RaceRound = z.infer<typeof RaceRoundSchema>;

/**
 * A race's rounds: `scope` names the loop (`i2/outer`, `i1/inner/<task>`: a ProTeGi run's level
 * i of a task too; an adaptation meta-test's `adapt/<task>/s<k>/i<level>`).
 */
export const RaceSchema = z.object({
  scope: z.string(),
  rounds: z.array(RaceRoundSchema),
});
export type Race = z.infer<typeof RaceSchema>;

export interface RaceScope {
  iteration: number;
  loop: 'outer' | 'inner';
  /** The task an inner-loop race belongs to (inner loops race each task apart). */
  taskId: string | null;
}

/** `i2/outer` or `i1/inner/<task>`; a scope of another shape keeps its text as the loop's name. */
export function parseRaceScope(scope: string): RaceScope | null {
  const match = /^i(\d+)\/(outer|inner)(?:\/(.+))?$/.exec(scope);
  if (!match) return null;
  const loop = match[2] === 'outer' ? 'outer' : 'inner';
  return { iteration: Number(match[1]), loop, taskId: match[3] ?? null };
}

export interface RaceSummary {
  /** Candidates evaluated in each round, then the ones that finished on the whole sample. */
  alive: number[];
  finished: number;
  dropped: number;
  /** Examples per task of each round's prefix. */
  sizes: number[];
  requests: number;
  cached: number;
}

/** What the CLI and the admin app show of one race. */
export function summarizeRace(race: Race): RaceSummary {
  const last = race.rounds.at(-1);
  return {
    alive: race.rounds.map((r) => r.evaluated.length),
    finished: last ? last.evaluated.length - last.dropped.length : 0,
    dropped: race.rounds.reduce((n, r) => n + r.dropped.length, 0),
    sizes: race.rounds.map((r) => r.size),
    requests: race.rounds.reduce((n, r) => n + r.requests, 0),
    cached: race.rounds.reduce((n, r) => n + r.cached, 0),
  };
}

const hasOuterLoop = (config: Pick<RunConfig, 'method'>) =>
  config.method === 'metaspo' || config.method === 'metaspo-ape' || config.method === 'outer-loop';

/**
 * Whether a run races its outer loop's system candidates (`selection: racing` on a bilevel
 * method): a dropped candidate stops after a prefix of the train sample, so the call-count
 * formula (what `full` sends) is an upper bound for those phases.
 */
export function racesSystemCandidates(config: Pick<RunConfig, 'method' | 'selection'>): boolean {
  return hasOuterLoop(config) && config.selection === 'racing';
}

/**
 * Whether ProTeGi's levels race (`userSelection: racing`): the levels of a `protegi` run, and of
 * every adaptation meta-test, which runs ProTeGi whatever the method of the run it follows.
 */
export function racesProtegiLevels(config: Pick<RunConfig, 'userSelection'>): boolean {
  return config.userSelection === 'racing';
}

/**
 * Whether a run races its user candidates (`userSelection: racing`): a bilevel method's inner
 * loop, or a protegi run's levels.
 */
export function racesUserCandidates(config: Pick<RunConfig, 'method' | 'userSelection'>): boolean {
  if (config.method === 'protegi') return racesProtegiLevels(config);
  return hasOuterLoop(config) && config.method !== 'outer-loop' && config.userSelection === 'racing';
}

/** Whether either loop races (so the run has races to show and an upper-bound request count). */
export function racesCandidates(config: Pick<RunConfig, 'method' | 'selection' | 'userSelection'>): boolean {
  return racesSystemCandidates(config) || racesUserCandidates(config);
}
