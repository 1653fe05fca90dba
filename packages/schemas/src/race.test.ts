import { describe, expect, it } from 'vitest';
import { racesCandidates, racesSystemCandidates, racesUserCandidates } from './race.js';
import { RunConfigSchema } from './run-config.js';

const config = (input: Record<string, unknown>) =>
  RunConfigSchema.parse({ metaTrainTasks: ['proc_navigation'], ...input });

describe('which loops a config races', () => {
  it('races only the loops the method has', () => {
    expect(racesCandidates(config({}))).toBe(false);
    expect(racesSystemCandidates(config({ selection: 'racing' }))).toBe(true);
    expect(racesUserCandidates(config({ userSelection: 'racing' }))).toBe(true);
    expect(racesCandidates(config({ method: 'metaspo-ape', userSelection: 'racing' }))).toBe(true);
    // outer-loop has no inner loop; protegi, ape and sprig have neither loop.
    expect(racesUserCandidates(config({ method: 'outer-loop', userSelection: 'racing' }))).toBe(false);
    expect(racesSystemCandidates(config({ method: 'outer-loop', selection: 'racing' }))).toBe(true);
    for (const method of ['protegi', 'ape', 'sprig']) {
      expect(racesCandidates(config({ method, selection: 'racing', userSelection: 'racing' }))).toBe(false);
    }
  });
});
