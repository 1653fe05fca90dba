import type { RunConfig } from '@metaspo/schemas';
import { rephraseSlots, SPRIG_DEFAULTS } from './methods/sprig-edits.js';

export interface ExpectedCalls {
  baseTrain: number;
  baseTest: number;
  /** Optimizer requests without retries of malformed replies (those are counted apart). */
  optimizer: number;
}

/** User prompts kept per task after each inner loop: min(userTopK, kept before + new candidates). */
export function survivorsAfterInner(config: RunConfig, iteration: number): number {
  let kept = 1;
  for (let i = 1; i <= iteration; i += 1) kept = Math.min(config.userTopK, kept + config.numUserCandidates);
  return kept;
}

/** Iterations the bilevel loop runs: the outer-loop ablation doubles them. */
export function bilevelIterations(config: RunConfig): number {
  return config.method === 'outer-loop' ? config.iterations * 2 : config.iterations;
}

/**
 * The number of base-model and optimizer requests a run makes when no candidate is dropped
 * (when a loop races, at most that many: see racesCandidates in @metaspo/schemas):
 * a function of the config and the number of tasks only (docs/optimizer.md derives it).
 * For the baselines the test count is an upper bound: a node kept over several rounds (or both
 * initial and best) is tested once.
 */
export function expectedCalls(config: RunConfig, taskCount: number): ExpectedCalls {
  const T = taskCount;
  const n = config.trainSize;
  const m = config.testSize;
  const U = config.numUserCandidates;
  const S = config.numSystemCandidates;
  switch (config.method) {
    case 'metaspo':
    case 'metaspo-ape':
    case 'outer-loop': {
      const innerLoop = config.method !== 'outer-loop';
      const iterations = bilevelIterations(config);
      const callsPerCandidate = config.method === 'metaspo-ape' ? 1 : 2;
      let baseTrain = T * n;
      let optimizer = 0;
      for (let i = 1; i <= iterations; i += 1) {
        const kept = innerLoop ? survivorsAfterInner(config, i) : 1;
        if (innerLoop) {
          baseTrain += T * U * n;
          optimizer += T * U * callsPerCandidate;
        }
        baseTrain += S * T * kept * n;
        optimizer += S * callsPerCandidate;
      }
      const finalKept = innerLoop ? survivorsAfterInner(config, iterations) : 1;
      return { baseTrain, baseTest: T * finalKept * m, optimizer };
    }
    case 'protegi':
      return protegiCalls(config, T);
    case 'sprig':
      return sprigCalls(config, T);
    case 'ape': {
      const P = config.apeProposals;
      const top = Math.min(config.userTopK, 1 + P);
      const candidates = P + top * config.apeResamples;
      return { baseTrain: T * n * (1 + candidates), baseTest: T * m * 2, optimizer: T * candidates };
    }
  }
}

/**
 * ProTeGi on T tasks: the initial prompt, an initial expansion of U candidates, then A rounds in
 * which each of the (at most B) kept nodes gets U candidates; two optimizer requests each. The
 * test count is an upper bound: every node ever kept is tested once, and most stay kept a while.
 */
function protegiCalls(config: RunConfig, T: number): ExpectedCalls {
  const U = config.numUserCandidates;
  let beam = 1;
  let candidates = 0;
  let kept = 1;
  for (let level = 1; level <= config.adaptIterations + 1; level += 1) {
    candidates += beam * U;
    beam = Math.min(config.beamSize, beam + beam * U);
    kept += beam;
  }
  return {
    baseTrain: T * config.trainSize * (1 + candidates),
    baseTest: T * config.testSize * kept,
    optimizer: T * candidates * 2,
  };
}

/**
 * SPRIG on T tasks: the empty prompt, then `iterations` x N candidates (N =
 * SPRIG_DEFAULTS.candidatesPerIteration), each scored on every task's train sample; the best
 * prompt is tested on every task. One optimizer request per rephrase slot from iteration 2 on
 * (iteration 1 edits the empty prompt, which has nothing to rephrase). Exact when no candidate
 * repeats an earlier prompt and no rephrase is dropped; either can only lower the base count.
 */
function sprigCalls(config: RunConfig, T: number): ExpectedCalls {
  const N = SPRIG_DEFAULTS.candidatesPerIteration;
  return {
    baseTrain: T * config.trainSize * (1 + config.iterations * N),
    baseTest: T * config.testSize,
    optimizer: Math.max(0, config.iterations - 1) * rephraseSlots(N),
  };
}

/** Test-time adaptation: ProTeGi on every task once per compared system prompt. */
export function expectedAdaptCalls(
  config: RunConfig,
  taskCount: number,
  systemPrompts: number,
): ExpectedCalls {
  const one = protegiCalls(config, taskCount);
  return {
    baseTrain: one.baseTrain * systemPrompts,
    baseTest: one.baseTest * systemPrompts,
    optimizer: one.optimizer * systemPrompts,
  };
}

export function totalRequests(calls: ExpectedCalls): number {
  return calls.baseTrain + calls.baseTest + calls.optimizer;
}
