import { describe, expect, it } from 'vitest';
import { racesCandidates, racesProtegiLevels, racesSystemCandidates, racesUserCandidates } from './race.js';
import { RunConfigSchema } from './run-config.js';

const config = (input: Record<string, unknown>) =>
  RunConfigSchema.parse({ metaTrainTasks: ['proc_navigation'], ...input });

describe('which loops a config races', () => {
  it('races only the loops the method has', () => {
    expect(racesCandidates(config({}))).toBe(false);
    expect(racesSystemCandidates(config({ selection: 'racing' }))).toBe(true);
    expect(racesUserCandidates(config({ userSelection: 'racing' }))).toBe(true);
    expect(racesCandidates(config({ method: 'metaspo-ape', userSelection: 'racing' }))).toBe(true);
    // outer-loop has no inner loop; protegi races its levels' user prompts, not system prompts;
    // ape and sprig race nothing.
    expect(racesUserCandidates(config({ method: 'outer-loop', userSelection: 'racing' }))).toBe(false);
    expect(racesSystemCandidates(config({ method: 'outer-loop', selection: 'racing' }))).toBe(true);
    expect(racesUserCandidates(config({ method: 'protegi', userSelection: 'racing' }))).toBe(true);
    expect(racesSystemCandidates(config({ method: 'protegi', selection: 'racing' }))).toBe(false);
    for (const method of ['ape', 'sprig']) {
      expect(racesCandidates(config({ method, selection: 'racing', userSelection: 'racing' }))).toBe(false);
    }
  });

  it('races ProTeGi levels, an adaptation meta-test’s too, under userSelection: racing, whatever the method', () => {
    for (const method of ['metaspo', 'protegi', 'ape', 'sprig', 'outer-loop']) {
      expect(racesProtegiLevels(config({ method, userSelection: 'racing' }))).toBe(true);
      expect(racesProtegiLevels(config({ method, selection: 'racing' }))).toBe(false);
    }
  });
});
