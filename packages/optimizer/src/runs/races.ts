import { type Race, RaceRoundSchema } from '@metaspo/schemas';
import { RACE_STEP_PREFIX, racesOf } from '../engine/racing.js';
import type { RunStore } from '../store/run-store.js';

/** The rounds of a run's races, from its steps (`runs.races`, and the run export). */
export function storedRaces(store: RunStore, runId: string): Race[] {
  return racesOf(store.listSteps(runId, RACE_STEP_PREFIX, RaceRoundSchema));
}
