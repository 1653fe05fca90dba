import { parseRaceScope, type Race, type RaceRound } from '@metaspo/schemas';
import type { NodeCalls, StoredNode } from '../store/run-store.js';
import { RunContext } from './context.js';
import { type Entrant, judgeRound, type Outcomes, roundSizes } from './racing-schedule.js';
import type { StepStore } from './step-store.js';

/** A candidate's (task, kept user prompt) pair nodes, per task in the run's task order. */
export type PairGrid = ReadonlyArray<ReadonlyArray<StoredNode>>;

interface RaceEntrant {
  id: number;
  pairs: PairGrid;
}

export interface RaceSpec {
  /** Names the race's persisted rounds (`race:<scope>:r<round>`). */
  scope: string;
  /**
   * Contestants already scored on the whole train sample, never dropped (negative ids): the
   * outer loop's current system prompt, or the inner loop's kept user prompts.
   */
  fixed: readonly RaceEntrant[];
  entrants: readonly RaceEntrant[];
  /** How many contestants the loop keeps (judgeRound's `keep`). */
  keep: number;
  /**
   * The race's share of its loop's error budget (RunConfig.racingDelta): all of it for an
   * outer loop, one task's share for an inner loop, which races each task apart.
   */
  delta: number;
}

interface PairCalls {
  requests: number;
  cached: number;
}

/** Steps of race rounds start with this; `race:<scope>:r<round>`. */
export const RACE_STEP_PREFIX = 'race:';
const roundKey = (scope: string, round: number) => `${RACE_STEP_PREFIX}${scope}:r${round}`;

/**
 * Steps of an evaluation on a prefix of the train sample: the node's score stays as it is (it is
 * only set by the whole-sample evaluation), the calls are kept for the round's record.
 */
function prefixStore(store: StepStore, calls: Map<string, NodeCalls>): StepStore {
  return {
    ...store,
    updateNode: (id, _patch, nodeCalls) => calls.set(id, nodeCalls),
    emit: () => {},
    progress: () => {},
  };
}

/**
 * Steps of the final, whole-sample evaluation: stored like any evaluation, except that the
 * examples of the last prefix were already counted as that round's requests, so the node's
 * counters get only the new ones (the evaluator reads the others back from the cache).
 */
function finalStore(store: StepStore, reused: number): StepStore {
  return {
    ...store,
    updateNode: (id, patch, calls) =>
      store.updateNode(id, patch, {
        ...calls,
        baseTrainCalls: Math.max(0, (calls.baseTrainCalls ?? 0) - reused),
        cachedCalls: Math.max(0, (calls.cachedCalls ?? 0) - reused),
      }),
    progress: () => {},
  };
}

/**
 * A context whose train evaluations use the first `size` examples of each task's train sample.
 * The sample is a prefix of one seeded order (datasets.sample) and the requests keep the node's
 * own sample index, so a larger round re-reads the smaller one's responses from the cache.
 */
function contextOf(ctx: RunContext, size: number, store: StepStore): RunContext {
  return new RunContext(
    ctx.runId,
    { ...ctx.config, trainSize: size },
    ctx.tasks,
    ctx.clients,
    store,
    ctx.signal,
    ctx.requestsTotal,
  );
}

/**
 * Per example of the first `size` of the pair's train sample: 1 right, 0 wrong. An item whose
 * model call failed is wrong, as it is in the evaluation's score.
 */
async function itemOutcomes(
  ctx: RunContext,
  node: StoredNode,
  evaluationId: string,
  size: number,
): Promise<number[]> {
  const taskId = node.taskId;
  if (!taskId) throw new Error(`node ${node.id} has no task to race on`);
  const [examples, outcomes] = await Promise.all([
    ctx.trainExamples(taskId),
    ctx.clients.evaluator.outcomes.query({ evaluationId }, { signal: ctx.signal }),
  ]);
  const correctById = new Map(outcomes.map((item) => [item.exampleId, item.correct]));
  return examples.slice(0, size).map((example) => {
    const correct = correctById.get(example.id);
    if (correct === undefined) {
      throw new Error(`evaluation ${evaluationId} has no item for example ${example.id} of its race prefix`);
    }
    return correct ? 1 : 0;
  });
}

function trainEvaluationOf(node: StoredNode): string {
  const id = node.evaluationIds[0];
  if (id === undefined) throw new Error(`node ${node.id} has no train evaluation to race against`);
  return id;
}

/** The fixed contestants' outcomes on their whole train sample (a round takes its prefix). */
function fixedOutcomes(ctx: RunContext, fixed: readonly RaceEntrant[]): Promise<Entrant[]> {
  return Promise.all(
    fixed.map(async (entrant) => ({
      id: entrant.id,
      fixed: true,
      outcomes: await Promise.all(
        entrant.pairs.map((pairs) =>
          Promise.all(
            pairs.map((node) => itemOutcomes(ctx, node, trainEvaluationOf(node), ctx.config.trainSize)),
          ),
        ),
      ),
    })),
  );
}

const prefixOf = (outcomes: Outcomes, size: number): Outcomes =>
  outcomes.map((pairs) => pairs.map((pair) => pair.slice(0, size)));

async function runRound(
  ctx: RunContext,
  spec: RaceSpec,
  alive: readonly RaceEntrant[],
  fixed: readonly Entrant[],
  round: { index: number; size: number; previous: number; rounds: number },
): Promise<{ record: RaceRound; calls: Map<string, PairCalls> }> {
  const captured = new Map<string, NodeCalls>();
  const prefix = contextOf(ctx, round.size, prefixStore(ctx.store, captured));
  const entrants: Entrant[] = await Promise.all(
    alive.map(async (entrant) => ({
      id: entrant.id,
      outcomes: await Promise.all(
        entrant.pairs.map((pairs) =>
          Promise.all(
            pairs.map(async (pair) => {
              const scored = await prefix.evaluate({ ...pair, trainScore: null, evaluationIds: [] }, 'train');
              return itemOutcomes(ctx, pair, trainEvaluationOf(scored), round.size);
            }),
          ),
        ),
      ),
    })),
  );
  const contestants = fixed.map((f) => ({ ...f, outcomes: prefixOf(f.outcomes, round.size) }));
  // The race's error budget, split evenly over the rounds that may drop: only the drop of a
  // candidate full would keep changes the decision.
  const alpha = spec.delta / Math.max(1, round.rounds - 1);
  const verdict = judgeRound([...contestants, ...entrants], {
    keep: spec.keep,
    alpha,
    population: ctx.config.trainSize,
  });
  const calls = new Map<string, PairCalls>();
  for (const [id, nodeCalls] of captured) {
    calls.set(id, {
      requests: round.size - round.previous,
      cached: Math.max(0, (nodeCalls.cachedCalls ?? 0) - round.previous),
    });
  }
  const sum = (f: (c: PairCalls) => number) => [...calls.values()].reduce((n, c) => n + f(c), 0);
  const record: RaceRound = {
    ...verdict,
    round: round.index,
    size: round.size,
    alpha,
    evaluated: alive.map((e) => e.id),
    evaluations: calls.size,
    requests: sum((c) => c.requests),
    cached: sum((c) => c.cached),
  };
  return { record, calls };
}

/**
 * Races `spec.entrants` against each other and the fixed contestants (docs/optimizer.md,
 * Racing): rounds on growing prefixes of each task's train sample drop the candidates
 * confidently worse than each of the round's `keep` leaders, and the survivors are evaluated on the whole sample like `full` evaluates every
 * candidate. Each round is a persisted step: a resumed run reads its verdict and evaluates
 * nothing of it again. Returns the survivors' pairs, scored; dropped candidates are absent.
 */
export async function raceCandidates(ctx: RunContext, spec: RaceSpec): Promise<Map<number, PairGrid>> {
  const sizes = roundSizes(ctx.config.trainSize);
  let alive = [...spec.entrants];
  let previous = 0;
  let fixed: Promise<Entrant[]> | null = null;
  for (let index = 1; index < sizes.length && alive.length > 0; index += 1) {
    const size = sizes[index - 1] as number;
    const key = roundKey(spec.scope, index);
    let record = ctx.store.getStep<RaceRound>(key);
    if (!record) {
      fixed ??= fixedOutcomes(ctx, spec.fixed);
      const round = { index, size, previous, rounds: sizes.length };
      const ran = await runRound(ctx, spec, alive, await fixed, round);
      record = ran.record;
      // The record first: a round whose record exists is never evaluated again, so its
      // requests are added to the nodes once.
      if (ctx.store.putStepOnce(key, record)) {
        for (const [id, calls] of ran.calls) {
          ctx.store.updateNode(id, {}, { baseTrainCalls: calls.requests, cachedCalls: calls.cached });
        }
      }
      ctx.reportProgress(true);
    }
    const dropped = new Set(record.dropped);
    alive = alive.filter((e) => !dropped.has(e.id));
    previous = size;
  }
  const final = contextOf(ctx, ctx.config.trainSize, finalStore(ctx.store, previous));
  const finished = await Promise.all(
    alive.map(
      async (entrant) =>
        [
          entrant.id,
          await Promise.all(
            entrant.pairs.map((pairs) => Promise.all(pairs.map((p) => final.evaluate(p, 'train')))),
          ),
        ] as const,
    ),
  );
  ctx.reportProgress(true);
  return new Map(finished);
}

/** The persisted rounds of a race, in order (for reports and tests). */
export function raceRounds(store: Pick<StepStore, 'getStep'>, scope: string): RaceRound[] {
  const rounds: RaceRound[] = [];
  for (let index = 1; ; index += 1) {
    const record = store.getStep<RaceRound>(roundKey(scope, index));
    if (!record) return rounds;
    rounds.push(record);
  }
}

/** Stored round steps grouped into races, in loop order (by iteration, the inner loop first). */
export function racesOf(steps: ReadonlyArray<{ key: string; value: RaceRound }>): Race[] {
  const byScope = new Map<string, RaceRound[]>();
  for (const { key, value } of steps) {
    const scope = key.slice(RACE_STEP_PREFIX.length, key.lastIndexOf(':r'));
    byScope.set(scope, [...(byScope.get(scope) ?? []), value]);
  }
  const iterationOf = (scope: string) => parseRaceScope(scope)?.iteration ?? 0;
  return [...byScope]
    .map(([scope, rounds]) => ({ scope, rounds: rounds.sort((a, b) => a.round - b.round) }))
    .sort((a, b) => iterationOf(a.scope) - iterationOf(b.scope) || a.scope.localeCompare(b.scope));
}
