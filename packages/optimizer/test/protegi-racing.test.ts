import {
  type RaceRound,
  type RunConfigInput,
  RunConfigSchema,
  racesProtegiLevels,
  racesUserCandidates,
} from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { raceRounds } from '../src/engine/racing.js';
import { memoryStepStore, type StepStore } from '../src/engine/step-store.js';
import { runAdaptMetaTest } from '../src/meta-test/adapt.js';
import { runUserBaseline } from '../src/methods/user-baselines.js';
import {
  killedAfterStepAndResumed,
  racingClients,
  scriptedContext,
  userPromptOutcome,
} from './fixtures/racing-clients.js';

const TASKS = ['race_a', 'race_b'];
/** Two levels (the initial expansion and one round); 3 rewrites per kept node; a beam of 2. */
const base: RunConfigInput = {
  method: 'protegi',
  metaTrainTasks: TASKS,
  adaptIterations: 1,
  numUserCandidates: 3,
  beamSize: 2,
  trainSize: 40,
  testSize: 4,
  maxMalformedRetries: 0,
  // Per level 0.03, and 0.01 per round that may drop (as the inner loop's test has it).
  racingDelta: 0.06,
};

const outcome = userPromptOutcome;

type Selection = 'full' | 'racing';

async function protegiRun(userSelection: Selection, store: StepStore = memoryStepStore('protegi-race')) {
  const scripted = racingClients(outcome);
  const ctx = scriptedContext(
    { ...base, userSelection },
    scripted.clients,
    store,
    new AbortController().signal,
  );
  return { result: await runUserBaseline(ctx), store, scripted };
}

/** What racing saved: per dropped candidate, the examples past the round it dropped in. */
const savedBy = (rounds: readonly RaceRound[], trainSize: number) =>
  rounds.reduce((n, round) => n + round.dropped.length * (trainSize - round.size), 0);

describe('racing ProTeGi’s levels (userSelection: racing)', () => {
  it('keeps the beams and result full keeps, and sends only what the races needed', async () => {
    const full = await protegiRun('full');
    const racing = await protegiRun('racing');
    expect(racing.result.scores).toEqual(full.result.scores);
    for (const task of TASKS) {
      // The same nodes kept at each level, with the same scores.
      const kept = (store: StepStore) =>
        [1, 2].map((level) =>
          [0, 1, 2, 3, 4, 5]
            .map((c) => store.findNode(`task/${task}/i${level}/c${c}`))
            .filter((node) => node?.testScore != null)
            .map((node) => [node?.userPrompt, node?.trainScore, node?.testScore]),
        );
      expect(kept(racing.store)).toEqual(kept(full.store));
    }

    const rounds = TASKS.flatMap((task) =>
      [1, 2].flatMap((level) => raceRounds(racing.store, `i${level}/inner/${task}`)),
    );
    // Level 1: the initial prompt kept, c0..c2 new; c0 is below both places after 5 examples.
    expect(raceRounds(racing.store, 'i1/inner/race_a')[0]).toMatchObject({
      size: 5,
      dropped: [0],
      evaluated: [0, 1, 2],
    });
    expect(racing.store.findNode('task/race_a/i1/c0')?.trainScore).toBeNull();
    const saved = savedBy(rounds, 40);
    expect(saved).toBeGreaterThan(0);
    expect(racing.store.callTotals().baseTrain).toBe(full.store.callTotals().baseTrain - saved);
    expect(racing.scripted.providerRequests()).toBeLessThan(full.scripted.providerRequests());
  });

  it('races each level with its share of racingDelta, and nothing when the beam keeps all', async () => {
    const racing = await protegiRun('racing');
    // Two levels: 0.03 each; 4 rounds at trainSize 40, 3 of which may drop: 0.01.
    expect(raceRounds(racing.store, 'i2/inner/race_b').map((r) => r.alpha)).toEqual([0.01, 0.01, 0.01]);

    const store = memoryStepStore('protegi-race-all-kept');
    const scripted = racingClients(outcome);
    const config = { ...base, userSelection: 'racing' as const, beamSize: 4 };
    await runUserBaseline(scriptedContext(config, scripted.clients, store, new AbortController().signal));
    // The initial prompt and its 3 rewrites fit a beam of 4: each is scored in full, none raced;
    // the 12 rewrites of the next level race the 4 kept.
    expect(raceRounds(store, 'i1/inner/race_a')).toEqual([]);
    expect(raceRounds(store, 'i2/inner/race_a')[0]?.evaluated).toHaveLength(12);
    expect([0, 1, 2].map((c) => store.findNode(`task/race_a/i1/c${c}`)?.trainScore)).toEqual([0, 0.9, 0.975]);
  });

  it('resumes a search killed after a round without evaluating that round again', async () => {
    const uninterrupted = await protegiRun('racing');
    const scripted = racingClients(outcome);
    const store = memoryStepStore('protegi-race');
    const config = { ...base, userSelection: 'racing' as const };
    const result = await killedAfterStepAndResumed(store, 'race:i2/inner/race_a:r1', (steps, signal) =>
      runUserBaseline(scriptedContext(config, scripted.clients, steps, signal)),
    );
    expect(result).toEqual(uninterrupted.result);
    expect(scripted.providerRequests()).toBe(uninterrupted.scripted.providerRequests());
    expect(store.callTotals()).toEqual(uninterrupted.store.callTotals());
  });

  it('races the adaptation meta-test’s searches too, with the same curves as full', async () => {
    const adapt = async (userSelection: Selection) => {
      const scripted = racingClients(outcome);
      const store = memoryStepStore('adapt-race');
      const ctx = scriptedContext(
        { ...base, method: 'metaspo', userSelection },
        scripted.clients,
        store,
        new AbortController().signal,
      );
      const systemPrompts = [
        { label: 'default', prompt: 'You are a helpful assistant.' },
        { label: 'optimized', prompt: 'system prompt c1' },
      ];
      return { result: await runAdaptMetaTest(ctx, systemPrompts), store, scripted };
    };
    const full = await adapt('full');
    const racing = await adapt('racing');
    expect(racing.result).toEqual(full.result);
    const rounds = raceRounds(racing.store, 'adapt/race_a/s1/i1');
    expect(rounds[0]?.dropped).toEqual([0]);
    expect(racing.store.callTotals().baseTrain).toBeLessThan(full.store.callTotals().baseTrain);
    expect(racing.scripted.providerRequests()).toBeLessThan(full.scripted.providerRequests());
  });

  it('is what racesUserCandidates and racesProtegiLevels say', () => {
    const racing = RunConfigSchema.parse({ ...base, userSelection: 'racing' });
    expect(racesUserCandidates(racing)).toBe(true);
    expect(racesUserCandidates(RunConfigSchema.parse(base))).toBe(false);
    // APE has no ProTeGi levels; an adaptation meta-test races whatever the run's method.
    expect(racesUserCandidates({ ...racing, method: 'ape' })).toBe(false);
    expect(
      racesProtegiLevels(RunConfigSchema.parse({ ...base, method: 'sprig', userSelection: 'racing' })),
    ).toBe(true);
  });
});
