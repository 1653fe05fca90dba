import { apeResampleCandidate, apeUserCandidate } from '../engine/candidates.js';
import type { RunContext } from '../engine/context.js';
import { rankByTrainScore } from '../engine/nodes.js';
import {
  bestOf,
  expand,
  pointOf,
  rootNode,
  testOnce,
  type UserSearchResult,
  type UserSearchSpec,
} from './user-search.js';

/**
 * APE as the reference runs it (ape.py): `apeProposals` instructions inferred from train
 * demonstrations (each followed by the task's suffix), the best `userTopK` of them and the
 * initial prompt each paraphrased `apeResamples` times; the best of all by train score is the
 * result. The initial prompt and the result are scored on test.
 */
export async function runApe(ctx: RunContext, spec: UserSearchSpec): Promise<UserSearchResult> {
  const test = testOnce(ctx);
  const initial = await rootNode(ctx, spec);
  const initialTested = test(initial);
  const proposals = await expand(ctx, spec, [initial], {
    iteration: 1,
    perParent: ctx.config.apeProposals,
    generate: apeUserCandidate,
    phase: 'inner',
  });
  const top = rankByTrainScore([initial, ...proposals]).slice(0, ctx.config.userTopK);
  const resampled = await expand(ctx, spec, top, {
    iteration: 2,
    perParent: ctx.config.apeResamples,
    generate: apeResampleCandidate,
    phase: 'inner',
  });
  const best = await test(bestOf(rankByTrainScore([initial, ...proposals, ...resampled])));
  const initialWithTest = await initialTested;
  return {
    initial: initialWithTest,
    best,
    points: [pointOf(0, initialWithTest), pointOf(1, best)],
  };
}
