import type { RunContext } from '../engine/context.js';
import { raceCandidates } from '../engine/racing.js';
import type { StoredNode } from '../store/run-store.js';
import type { Beam } from './system-candidates.js';

export interface UserCandidatesSpec {
  iteration: number;
  /** The task's kept user prompts under the current system prompt, scored on the whole sample. */
  beam: Beam;
  /** Writes (or reads back) the candidate with this index, unscored. */
  generated: (candidateIndex: number) => Promise<StoredNode>;
}

/**
 * An inner loop's new user prompts for one task, scored on the whole train sample, in candidate
 * order; absent: a candidate the optimizer failed to write or, under `userSelection: racing`, one
 * its race dropped because it was confidently worse than each of the `userTopK` best (so it
 * could not have been kept).
 */
export async function scoreUserCandidates(ctx: RunContext, spec: UserCandidatesSpec): Promise<StoredNode[]> {
  const indexes = Array.from({ length: ctx.config.numUserCandidates }, (_, i) => i);
  if (ctx.config.userSelection === 'full') {
    const scored = await Promise.all(
      indexes.map(async (candidateIndex) => {
        const node = await spec.generated(candidateIndex);
        return node.droppedReason ? null : ctx.evaluate(node, 'train');
      }),
    );
    return scored.filter((node) => node !== null);
  }
  const written = (await Promise.all(indexes.map(spec.generated))).filter((node) => !node.droppedReason);
  return raceUserCandidates(ctx, {
    scope: `i${spec.iteration}/inner/${spec.beam.task.id}`,
    kept: spec.beam.nodes,
    written,
    keep: ctx.config.userTopK,
    delta: ctx.config.racingDelta / ctx.tasks.length,
  });
}

export interface UserRaceSpec {
  /** Names the race's persisted rounds (`race:<scope>:r<round>`). */
  scope: string;
  /** The user prompts kept so far, scored on the whole sample: fixed contestants, never dropped. */
  kept: readonly StoredNode[];
  /** The new user prompts of the same task, written and not yet scored. */
  written: readonly StoredNode[];
  /** How many of kept and new together the search keeps. */
  keep: number;
  /** The race's share of its search's error budget (RunConfig.racingDelta). */
  delta: number;
}

/**
 * New user prompts of one task raced against the kept ones (`userSelection: racing`): the
 * survivors scored on the whole train sample, in the order written; a dropped one is absent,
 * as it was confidently worse than each of the `keep` best. With no more contestants than
 * `keep`, every one is kept: nothing is raced.
 */
export async function raceUserCandidates(ctx: RunContext, spec: UserRaceSpec): Promise<StoredNode[]> {
  if (spec.kept.length + spec.written.length <= spec.keep) {
    return Promise.all(spec.written.map((node) => ctx.evaluate(node, 'train')));
  }
  const finished = await raceCandidates(ctx, {
    scope: spec.scope,
    fixed: spec.kept.map((node, position) => ({ id: -(position + 1), pairs: [[node]] })),
    entrants: spec.written.map((node) => ({ id: node.candidateIndex, pairs: [[node]] })),
    keep: spec.keep,
    delta: spec.delta,
  });
  // A survivor's grid is its one task's one pair: the candidate itself, scored.
  return spec.written.flatMap((node) => finished.get(node.candidateIndex)?.[0] ?? []);
}
