import {
  type IterationSnapshot,
  type RunConfig,
  type RunConfigInput,
  RunConfigSchema,
  racesCandidates,
  racesUserCandidates,
} from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { expectedCalls } from '../src/call-count.js';
import { raceRounds } from '../src/engine/racing.js';
import { memoryStepStore, type StepStore } from '../src/engine/step-store.js';
import { runBilevel } from '../src/methods/bilevel.js';
import {
  type ExampleOutcome,
  killedAfterStepAndResumed,
  metaTrainPlanRow,
  racingClients,
  scriptedContext,
  userPromptOutcome,
} from './fixtures/racing-clients.js';

const TASKS = ['race_a', 'race_b'];
/** One iteration; per task the initial user prompt and 3 new ones, of which the beam keeps 2. */
const base: RunConfigInput = {
  method: 'metaspo',
  metaTrainTasks: TASKS,
  iterations: 1,
  numUserCandidates: 3,
  userTopK: 2,
  numSystemCandidates: 1,
  trainSize: 40,
  testSize: 4,
  maxMalformedRetries: 0,
  // Per task race 0.03 and per test 0.01 (3 rounds may drop): on 5 examples of one pair, u0's
  // four losses to u2 are then confidently worse (at the default 0.03 they would not be yet).
  racingDelta: 0.06,
};

/** The beam keeps u2 (0.975) and u1 (0.9) of u0..u2; the system candidate is not accepted. */
const outcome = userPromptOutcome;

async function run(userSelection: 'full' | 'racing', store: StepStore = memoryStepStore('inner-race')) {
  const scripted = racingClients(outcome);
  const ctx = scriptedContext(
    { ...base, userSelection },
    scripted.clients,
    store,
    new AbortController().signal,
  );
  const result = await runBilevel(ctx);
  return { result, store, scripted };
}

/** Per task, the beam after the inner loop: its best and mean train scores (0.975 and 0.9375). */
const innerBeams = (store: StepStore) =>
  store.getStep<IterationSnapshot>('snapshot:0001')?.tasks.map((t) => [t.bestScore, t.meanScore]);

describe('racing the inner loop’s user candidates (userSelection: racing)', () => {
  it('drops the candidate below both kept places in the first round and keeps the beam full keeps', async () => {
    const full = await run('full');
    const racing = await run('racing');
    expect(racing.result.optimizedSystemPrompt).toBe(full.result.optimizedSystemPrompt);
    expect(racing.result.scores).toEqual(full.result.scores);
    expect(innerBeams(racing.store)).toEqual(innerBeams(full.store));
    expect(innerBeams(full.store)).toEqual(TASKS.map(() => [0.975, (0.975 + 0.9) / 2]));

    for (const task of TASKS) {
      const rounds = raceRounds(racing.store, `i1/inner/${task}`);
      expect(rounds.map((r) => ({ size: r.size, dropped: r.dropped, evaluated: r.evaluated }))).toEqual([
        { size: 5, dropped: [0], evaluated: [0, 1, 2] },
        { size: 10, dropped: [], evaluated: [1, 2] },
        { size: 20, dropped: [], evaluated: [1, 2] },
      ]);
      // On 5 examples u1 is perfect and u2 has missed one: both lead, the kept initial prompt trails.
      expect(rounds[0]?.leaders).toEqual([1, 2]);
      expect(rounds[2]?.leaders).toEqual([2, 1]);
      // The dropped candidate keeps no score; the kept initial prompt raced as a fixed contestant.
      expect(racing.store.findNode(`i1/inner/${task}/c0`)?.trainScore).toBeNull();
      expect(racing.store.findNode(`i1/inner/${task}/c2`)?.trainScore).toBeCloseTo(0.975);
      expect(rounds[0]?.entrants.find((e) => e.id === -1)?.mean).toBeCloseTo(0.6);
    }
  });

  it('sends only what the race needs, and counts it: u0 stops after 5 examples per task', async () => {
    const full = await run('full');
    const racing = await run('racing');
    // Full: per task 3 candidates x 40 = 120. Racing: u0 5, u1 and u2 40 each = 85.
    const saved = TASKS.length * (120 - 85);
    expect(racing.store.callTotals().baseTrain).toBe(full.store.callTotals().baseTrain - saved);
    expect(racing.scripted.providerRequests()).toBe(full.scripted.providerRequests() - saved);
    expect(racing.store.callTotals().cached).toBe(0);
  });

  it('races nothing when the beam keeps every contestant', async () => {
    const scripted = racingClients(outcome);
    const store = memoryStepStore('inner-race-all-kept');
    // The initial prompt and 3 candidates, userTopK 4: all are kept, each scored in full.
    const config = { ...base, userSelection: 'racing' as const, userTopK: 4 };
    await runBilevel(scriptedContext(config, scripted.clients, store, new AbortController().signal));
    expect(raceRounds(store, 'i1/inner/race_a')).toEqual([]);
    expect([0, 1, 2].map((c) => store.findNode(`i1/inner/race_a/c${c}`)?.trainScore)).toEqual([
      0, 0.9, 0.975,
    ]);
  });

  it('resumes after a killed inner round without evaluating that round again', async () => {
    const uninterrupted = await run('racing');
    const scripted = racingClients(outcome);
    const store = memoryStepStore('inner-race');
    const config = { ...base, userSelection: 'racing' as const };
    const result = await killedAfterStepAndResumed(store, 'race:i1/inner/race_a:r1', (steps, signal) =>
      runBilevel(scriptedContext(config, scripted.clients, steps, signal)),
    );
    expect(result).toEqual(uninterrupted.result);
    for (const task of TASKS) {
      expect(raceRounds(store, `i1/inner/${task}`)).toEqual(
        raceRounds(uninterrupted.store, `i1/inner/${task}`),
      );
    }
    // Both executions together sent what one uninterrupted run sends, and counted it once.
    expect(scripted.providerRequests()).toBe(uninterrupted.scripted.providerRequests());
    expect(store.callTotals()).toEqual(uninterrupted.store.callTotals());
  });

  it("marks the plan's meta-train base row upper when the inner loop races", async () => {
    const { datasets } = racingClients(outcome).clients;
    const metaTrainRow = (config: RunConfig) => metaTrainPlanRow(config, datasets);
    const full = await metaTrainRow(RunConfigSchema.parse(base));
    const racing = await metaTrainRow(RunConfigSchema.parse({ ...base, userSelection: 'racing' }));
    expect(full).toMatchObject({ exact: true });
    expect(racing).toMatchObject({ exact: false, count: full?.count });
  });

  it('makes the formula an upper bound only for inner loops that race', () => {
    const racing = RunConfigSchema.parse({ ...base, userSelection: 'racing' });
    expect(racesUserCandidates(racing)).toBe(true);
    expect(racesCandidates(racing)).toBe(true);
    expect(racesCandidates(RunConfigSchema.parse(base))).toBe(false);
    // The outer-loop ablation has no inner loop to race.
    expect(
      racesUserCandidates(RunConfigSchema.parse({ ...base, method: 'outer-loop', userSelection: 'racing' })),
    ).toBe(false);
    expect(expectedCalls(racing, TASKS.length)).toEqual(
      expectedCalls(RunConfigSchema.parse(base), TASKS.length),
    );
  });

  it("spends racingDelta over the loop's task races and their rounds that may drop", async () => {
    const scripted = racingClients(outcome);
    const store = memoryStepStore('inner-race-delta');
    const config = { ...base, userSelection: 'racing' as const, racingDelta: 0.12 };
    await runBilevel(scriptedContext(config, scripted.clients, store, new AbortController().signal));
    // Two tasks, so each task's race gets 0.06; four rounds, three of which may drop: 0.02.
    const rounds = raceRounds(store, 'i1/inner/race_a');
    expect(rounds.map((r) => r.alpha)).toEqual([0.02, 0.02, 0.02]);
    expect(RunConfigSchema.parse({ ...base, racingDelta: undefined }).racingDelta).toBe(0.03);
    const refused = RunConfigSchema.safeParse({ ...base, racingDelta: 0 });
    expect(refused.error?.issues[0]).toMatchObject({
      path: ['racingDelta'],
      message: 'racingDelta must be above 0',
    });
  });

  it('reads a failed call as a wrong answer, as the score does, so it drops the same candidate', async () => {
    // u0's calls fail instead of answering wrong: the evaluator has no wrong example for them.
    const failing: ExampleOutcome = (pair) =>
      /^user prompt c0/.test(pair.userPrompt) ? 'failed' : outcome(pair);
    const race = async (script: ExampleOutcome) => {
      const store = memoryStepStore('inner-race-failed');
      const config = { ...base, userSelection: 'racing' as const, maxFailedItemShare: 1 };
      await runBilevel(
        scriptedContext(config, racingClients(script).clients, store, new AbortController().signal),
      );
      return raceRounds(store, 'i1/inner/race_a');
    };
    const withFailures = await race(failing);
    expect(withFailures[0]?.dropped).toEqual([0]);
    expect(withFailures).toEqual(await race(outcome));
  });
});
