import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import {
  type IterationSnapshot,
  type RunConfigInput,
  RunConfigSchema,
  racesSystemCandidates,
} from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { expectedCalls } from '../src/call-count.js';
import { raceRounds } from '../src/engine/racing.js';
import { type EventBody, memoryStepStore, runStepStore, type StepStore } from '../src/engine/step-store.js';
import { studentTQuantile } from '../src/engine/student-t.js';
import { runBilevel, type SystemDecision } from '../src/methods/bilevel.js';
import { openOptimizerDatabase } from '../src/store/database.js';
import { EventLog } from '../src/store/event-log.js';
import { RunStore } from '../src/store/run-store.js';
import {
  type ExampleOutcome,
  killingAfterStep,
  metaTrainPlanRow,
  racingClients,
  scriptedContext,
} from './fixtures/racing-clients.js';

const TASKS = ['race_a', 'race_b'];
/** trainSize 40: rounds on 5, 10 and 20 examples per task, then the whole 40. */
const base: RunConfigInput = {
  method: 'outer-loop',
  metaTrainTasks: TASKS,
  iterations: 1,
  numSystemCandidates: 4,
  trainSize: 40,
  testSize: 4,
  maxMalformedRetries: 0,
};

/**
 * The initial prompt gets every other example right (0.5). c0 gets none right; c1 misses every
 * tenth example, the 10th, 20th... (1.0 on 5 examples, 0.9 on 10, 20 and 40); c2 misses only
 * the first (0.8 on 5, 0.9 on 10, 0.95 on 20, 0.975 on 40: the full sample's winner); c3
 * answers as c1. The train sample is a seeded shuffle, so its misses fall anywhere: here spread.
 */
const outcome: ExampleOutcome = ({ systemPrompt, index }) => {
  const candidate = /c(\d)$/.exec(systemPrompt)?.[1];
  if (candidate === '0') return false;
  if (candidate === '1' || candidate === '3') return index % 10 !== 9;
  if (candidate === '2') return index !== 0;
  return index % 2 === 0;
};

async function run(selection: 'full' | 'racing', store: StepStore = memoryStepStore('racing-run')) {
  const scripted = racingClients(outcome);
  const ctx = scriptedContext({ ...base, selection }, scripted.clients, store, new AbortController().signal);
  const result = await runBilevel(ctx);
  return { result, store, scripted };
}

const decisions = (store: StepStore) => [1, 2].map((i) => store.getStep<SystemDecision>(`decision:i00${i}`));

describe('racing selection of system candidates', () => {
  it('records each loop as the snapshot and the event full records: loop 1 accepts c2, loop 2 keeps it', async () => {
    const events: EventBody[] = [];
    const inner = memoryStepStore('racing-run');
    const racing = await run('racing', { ...inner, emit: (event) => events.push(event) });
    // outer-loop runs no inner loop: the outer snapshots are 2 (loop 1) and 4 (loop 2).
    const accepted = ['snapshot:0002', 'snapshot:0004'].map(
      (key) => racing.store.getStep<IterationSnapshot>(key)?.accepted,
    );
    expect(accepted).toEqual([true, false]);
    expect(events.filter((e) => e.type === 'system-decision')).toMatchObject([
      { iteration: 1, accepted: true, systemPrompt: 'system prompt c2' },
      { iteration: 2, accepted: false, systemPrompt: 'system prompt c2' },
    ]);
  });

  it('drops c0 in the first round only, and accepts the candidate full selection accepts', async () => {
    const full = await run('full');
    const racing = await run('racing');
    expect(decisions(full.store)[0]).toMatchObject({ accepted: true, systemPrompt: 'system prompt c2' });
    expect(decisions(racing.store)).toEqual(decisions(full.store));
    expect(racing.result.optimizedSystemPrompt).toBe(full.result.optimizedSystemPrompt);
    expect(racing.result.scores).toEqual(full.result.scores);

    const rounds = raceRounds(racing.store, 'i1/outer');
    expect(
      rounds.map((r) => ({ size: r.size, leader: r.leader, dropped: r.dropped, evaluated: r.evaluated })),
    ).toEqual([
      { size: 5, leader: 1, dropped: [0], evaluated: [0, 1, 2, 3] },
      // c1, c2 and c3 tie at 0.9: the earliest leads, and a tie drops nobody.
      { size: 10, leader: 1, dropped: [], evaluated: [1, 2, 3] },
      // c1 and c3 trail by one example in twenty per task: not confidently worse.
      { size: 20, leader: 2, dropped: [], evaluated: [1, 2, 3] },
    ]);
    // Per round, the examples new to each evaluated pair (2 tasks, 1 user prompt each).
    expect(rounds.map((r) => r.requests)).toEqual([4 * 2 * 5, 3 * 2 * 5, 3 * 2 * 10]);
    // The winner survives its deficit on the first example. Per task its differences to c1 are
    // -1, 0, 0, 0, 0 (mean -0.2, sample variance 0.2), so the estimate is -0.2 with variance
    // (0.2/5 + 0.2/5) / 2^2 = 0.02 on 8 degrees of freedom, times 35/40 for the examples unseen.
    // Each test runs at racingDelta / 3, the 3 rounds that may drop.
    const winner = rounds[0]?.entrants.find((e) => e.id === 2);
    const alpha = RunConfigSchema.parse(base).racingDelta / 3;
    expect(rounds[0]?.alpha).toBeCloseTo(alpha, 12);
    expect(winner?.mean).toBeCloseTo(0.8);
    expect(winner?.upper).toBeCloseTo(
      -0.2 + studentTQuantile(1 - alpha, 8) * Math.sqrt(0.02 * (35 / 40)),
      12,
    );
    expect(winner?.upper).toBeGreaterThan(0);
    // Dropped c0 keeps no score; c2 is scored on the whole sample, as full scores it.
    expect(racing.store.findNode('i1/outer/c0')?.trainScore).toBeNull();
    expect(racing.store.findNode('i1/outer/c2')?.trainScore).toBeCloseTo(0.975);
  });

  it("sends only the examples new to each round, and counts them as the run's requests", async () => {
    const full = await run('full');
    const racing = await run('racing');
    // Per loop, full sends 4 candidates x 2 tasks x 40 = 320. Racing: c0 2 x 5 = 10, then c1..c3
    // 80 each (a later round re-reads the earlier ones from the cache) = 250. Loop 2 starts from
    // c2, and again only c0 drops: 250 again. Initial 80, test 8.
    expect(full.store.callTotals()).toMatchObject({ baseTrain: 80 + 2 * 320, baseTest: 8, cached: 0 });
    expect(racing.store.callTotals()).toMatchObject({ baseTrain: 80 + 2 * 250, baseTest: 8, cached: 0 });
    expect(raceRounds(racing.store, 'i2/outer').map((r) => r.dropped)).toEqual([[0], [], []]);
    // Every request counted reached the provider once.
    expect(racing.scripted.providerRequests()).toBe(80 + 2 * 250 + 8);
    expect(full.scripted.providerRequests()).toBe(80 + 2 * 320 + 8);
  });

  it('resumes after a killed round without evaluating that round again, with the same result', async () => {
    const uninterrupted = await run('racing');

    const scripted = racingClients(outcome);
    const controller = new AbortController();
    // The run stops right after round 1's record is stored, before round 2 evaluates anything.
    const store = killingAfterStep(memoryStepStore('racing-run'), 'race:i1/outer:r1', controller);
    const first = scriptedContext(
      { ...base, selection: 'racing' },
      scripted.clients,
      store,
      controller.signal,
    );
    await expect(runBilevel(first)).rejects.toThrow();
    const beforeResume = scripted.evaluationSizes.length;
    const sentBeforeResume = scripted.providerRequests();
    expect(raceRounds(store, 'i1/outer')).toHaveLength(1);

    const resumed = scriptedContext(
      { ...base, selection: 'racing' },
      scripted.clients,
      store,
      new AbortController().signal,
    );
    const result = await runBilevel(resumed);
    expect(result).toEqual(uninterrupted.result);
    expect(raceRounds(store, 'i1/outer')).toEqual(raceRounds(uninterrupted.store, 'i1/outer'));
    // Round 1 (5 examples) of loop 1 is not evaluated again: the resumed execution starts at round 2.
    const resumedSizes = scripted.evaluationSizes.slice(beforeResume);
    expect(resumedSizes.slice(0, 6)).toEqual([10, 10, 10, 10, 10, 10]);
    // Nothing is requested twice: both executions together send what one uninterrupted run sends.
    expect(scripted.providerRequests()).toBe(uninterrupted.scripted.providerRequests());
    expect(scripted.providerRequests()).toBeGreaterThan(sentBeforeResume);
    expect(store.callTotals()).toEqual(uninterrupted.store.callTotals());
  });

  it('counts at most what full sends: the formula is its bound, and the plan marks the phase upper', async () => {
    const racingConfig = RunConfigSchema.parse({ ...base, selection: 'racing' });
    const fullConfig = RunConfigSchema.parse(base);
    expect(racesSystemCandidates(racingConfig)).toBe(true);
    expect(racesSystemCandidates(fullConfig)).toBe(false);
    expect(
      racesSystemCandidates(RunConfigSchema.parse({ ...base, method: 'sprig', selection: 'racing' })),
    ).toBe(false);
    const racing = await run('racing');
    const bound = expectedCalls(racingConfig, TASKS.length);
    expect(bound).toEqual(expectedCalls(fullConfig, TASKS.length));
    expect(bound.baseTrain).toBe(80 + 2 * 320);
    expect(racing.store.callTotals().baseTrain).toBeLessThan(bound.baseTrain);

    const metaTrainBound = (config: typeof fullConfig) =>
      metaTrainPlanRow(config, racing.scripted.clients.datasets);
    expect(await metaTrainBound(fullConfig)).toMatchObject({ exact: true, count: 2 * 320 });
    expect(await metaTrainBound(racingConfig)).toMatchObject({ exact: false, count: 2 * 320 });
  });

  it('resumes from its SQLite file after the process stopped past a round, as a new process would', async () => {
    const uninterrupted = await run('racing');
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-racing-')), 'optimizer.sqlite');
    const config = { ...base, selection: 'racing' as const };
    const open = () => {
      const database = openOptimizerDatabase(file);
      const store = new RunStore(database);
      return { database, steps: runStepStore('r_race', store, new EventLog(database)) };
    };
    const first = open();
    first.database.sqlite
      .prepare(
        `insert into runs (id, name, status, config, simulated, created_at)
         values ('r_race', null, 'running', ?, 1, '2026-01-01T00:00:00.000Z')`,
      )
      .run(JSON.stringify(config));
    const scripted = racingClients(outcome);
    const controller = new AbortController();
    const steps = killingAfterStep(first.steps, 'race:i1/outer:r2', controller);
    await expect(
      runBilevel(scriptedContext(config, scripted.clients, steps, controller.signal, 'r_race')),
    ).rejects.toThrow();
    first.database.close();
    const sizesBefore = scripted.evaluationSizes.length;

    const second = open();
    const result = await runBilevel(
      scriptedContext(config, scripted.clients, second.steps, new AbortController().signal, 'r_race'),
    );
    expect(result.optimizedSystemPrompt).toBe(uninterrupted.result.optimizedSystemPrompt);
    expect(result.scores).toEqual(uninterrupted.result.scores);
    expect(raceRounds(second.steps, 'i1/outer')).toEqual(raceRounds(uninterrupted.store, 'i1/outer'));
    // Rounds 1 and 2 come from the file: the resumed process starts at round 3 (20 examples).
    expect(scripted.evaluationSizes.slice(sizesBefore, sizesBefore + 6)).toEqual([20, 20, 20, 20, 20, 20]);
    expect(scripted.providerRequests()).toBe(uninterrupted.scripted.providerRequests());
    expect(second.steps.callTotals()).toMatchObject(uninterrupted.store.callTotals());
    second.database.close();
    fs.rmSync(path.dirname(file), { recursive: true, force: true });
  });
});
