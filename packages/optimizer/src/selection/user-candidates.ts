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
 * could not have been kept). The kept prompts race as fixed contestants: their outcomes are known.
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
  // With no more contestants than the beam keeps, every candidate is kept: nothing to race.
  if (spec.beam.nodes.length + written.length <= ctx.config.userTopK) {
    return Promise.all(written.map((node) => ctx.evaluate(node, 'train')));
  }
  const finished = await raceCandidates(ctx, {
    scope: `i${spec.iteration}/inner/${spec.beam.task.id}`,
    fixed: spec.beam.nodes.map((node, position) => ({ id: -(position + 1), pairs: [[node]] })),
    entrants: written.map((node) => ({ id: node.candidateIndex, pairs: [[node]] })),
    keep: ctx.config.userTopK,
    delta: ctx.config.racingDelta / ctx.tasks.length,
  });
  // A survivor's grid is its one task's one pair: the candidate itself, scored.
  return written.flatMap((node) => finished.get(node.candidateIndex)?.[0] ?? []);
}
