import { parseRaceScope, type Race, type RaceRound, summarizeRace } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import {
  aliveText,
  boundText,
  contestantLabel,
  entrantRows,
  outcomeText,
  racesByIteration,
  racesTotalText,
  raceTitle,
  roundText,
} from '../src/lib/race-view.js';

const round = (overrides: Partial<RaceRound> & Pick<RaceRound, 'round' | 'evaluated'>): RaceRound => ({
  size: 5,
  leader: 0,
  entrants: [],
  dropped: [],
  evaluations: overrides.evaluated.length,
  requests: 10,
  cached: 0,
  ...overrides,
});

/** Nine candidates narrowed to 6, 4, then 3 that finish. */
const outer: Race = {
  scope: 'i2/outer',
  rounds: [
    round({ round: 1, size: 7, evaluated: [0, 1, 2, 3, 4, 5, 6, 7, 8], dropped: [1, 4, 8], requests: 630 }),
    round({ round: 2, size: 13, evaluated: [0, 2, 3, 5, 6, 7], dropped: [3, 6], requests: 360, cached: 12 }),
    round({ round: 3, size: 25, evaluated: [0, 2, 5, 7], dropped: [7], requests: 480 }),
  ],
};
const inner: Race = {
  scope: 'i1/inner/proc_navigation',
  rounds: [round({ round: 1, evaluated: [0, 1], requests: 10 })],
};

describe('race view', () => {
  it('reads scopes and names the loop', () => {
    expect(parseRaceScope('i2/outer')).toEqual({ iteration: 2, loop: 'outer', taskId: null });
    expect(parseRaceScope('i1/inner/proc_navigation')).toEqual({
      iteration: 1,
      loop: 'inner',
      taskId: 'proc_navigation',
    });
    expect(parseRaceScope('warmup')).toBeNull();
    expect(raceTitle('i2/outer')).toBe('Outer loop: system prompts');
    expect(raceTitle('i1/inner/proc_navigation')).toBe('Inner loop: user prompts of proc_navigation');
    expect(raceTitle('warmup')).toBe('warmup');
  });

  it('names candidates from 1 and the contestants scored in full by what they are', () => {
    expect(contestantLabel(0, 'i1/outer')).toBe('candidate 1');
    expect(contestantLabel(-1, 'i1/outer')).toBe('current');
    expect(contestantLabel(-1, 'i1/inner/t')).toBe('kept 1');
    expect(contestantLabel(-3, 'i1/inner/t')).toBe('kept 3');
  });

  it('counts the candidates alive per round and those that finished', () => {
    const summary = summarizeRace(outer);
    expect(summary).toEqual({
      alive: [9, 6, 4],
      finished: 3,
      dropped: 6,
      sizes: [7, 13, 25],
      requests: 1470,
      cached: 12,
    });
    expect(aliveText(summary)).toBe('9 -> 6 -> 4 -> 3 finished');
    expect(aliveText(summarizeRace({ scope: 'i1/outer', rounds: [] }))).toBe('0 finished');
  });

  it('groups races by iteration in the order they ran and totals them', () => {
    const later: Race = { ...inner, scope: 'i2/inner/proc_navigation' };
    expect(racesByIteration([inner, later, outer])).toEqual([
      { iteration: 1, races: [inner] },
      { iteration: 2, races: [later, outer] },
    ]);
    expect(racesTotalText([outer, inner])).toBe(
      '2 races dropped 6 candidates; their rounds sent 1,480 base requests (12 from the cache)',
    );
    expect(racesTotalText([inner])).toBe(
      '1 race dropped 0 candidates; their rounds sent 10 base requests (0 from the cache)',
    );
  });

  it('marks the leaders, the dropped and the fixed contestants of a round', () => {
    const played = round({
      round: 2,
      size: 10,
      alpha: 0.0075,
      leader: 1,
      leaders: [1, -1],
      evaluated: [0, 1, 2],
      dropped: [2],
      entrants: [
        { id: -1, mean: 0.9, upper: null },
        { id: -2, mean: 0.5, upper: -0.2 },
        { id: 0, mean: 0.8, upper: 0.05 },
        { id: 1, mean: 1, upper: null },
        { id: 2, mean: 0.3, upper: -0.026 },
      ],
      requests: 15,
    });
    const rows = entrantRows(played, 'i1/inner/t');
    expect(rows.map((r) => [r.label, r.leader, r.dropped, r.fixed])).toEqual([
      ['kept 1', true, false, true],
      ['kept 2', false, false, true],
      ['candidate 1', false, false, false],
      ['candidate 2', true, false, false],
      ['candidate 3', false, true, false],
    ]);
    expect(rows.map(outcomeText)).toEqual(['leader', 'scored in full', 'races on', 'leader', 'dropped']);
    // Without `leaders` (a loop that keeps one) the leader alone is marked.
    const { leaders: _leaders, alpha: _alpha, ...keepsOne } = played;
    const single = entrantRows(keepsOne, 'i1/outer');
    expect(single.filter((r) => r.leader).map((r) => r.label)).toEqual(['candidate 2']);
    expect(roundText(played)).toBe(
      'Round 2: first 10 examples per task, α 0.0075; 15 requests (0 from the cache)',
    );
    expect(roundText({ ...keepsOne, size: 1 })).toBe(
      'Round 2: first 1 example per task; 15 requests (0 from the cache)',
    );
  });

  it('writes bounds as signed percentage points', () => {
    expect(boundText(null)).toBe('–');
    expect(boundText(0.0817)).toBe('+8.2 pts');
    expect(boundText(-0.02594)).toBe('−2.6 pts');
    expect(boundText(-0.0001)).toBe('0.0 pts');
  });
});
