import { failureUserCandidate } from '../engine/candidates.js';
import type { RunContext } from '../engine/context.js';
import { rankByTrainScore } from '../engine/nodes.js';
import type { StoredNode } from '../store/run-store.js';
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
 * ProTeGi as the reference runs it (protegi.py): an initial expansion of the initial prompt into
 * `numUserCandidates` rewrites from its failures, then `rounds` rounds in which every kept node
 * gets as many rewrites; after each, the best `beamSize` of kept nodes and new ones are kept.
 * Every node ever kept is scored once on test. Iteration 0 is the initial prompt, 1 the initial
 * expansion, 1 + r round r; each point is the level's best node by train score.
 */
export async function runProtegi(
  ctx: RunContext,
  spec: UserSearchSpec,
  rounds = ctx.config.adaptIterations,
): Promise<UserSearchResult> {
  const initial = await rootNode(ctx, spec);
  const levels: StoredNode[][] = [[initial]];
  let beam = [initial];
  for (let iteration = 1; iteration <= rounds + 1; iteration += 1) {
    const children = await expand(
      ctx,
      spec,
      beam,
      iteration,
      ctx.config.numUserCandidates,
      failureUserCandidate,
      'adapt',
    );
    beam = rankByTrainScore([...beam, ...children]).slice(0, ctx.config.beamSize);
    levels.push(beam);
  }
  const test = testOnce(ctx);
  const tested = await Promise.all(levels.map((kept) => Promise.all(kept.map(test))));
  const points = tested.map((kept, iteration) => ({
    ...pointOf(iteration, bestOf(kept)),
    beamTestScores: kept.map((node) => node.testScore ?? 0),
  }));
  return { initial: await test(initial), best: bestOf(tested.at(-1) ?? []), points };
}
