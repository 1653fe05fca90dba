import { racesProtegiLevels } from '@metaspo/schemas';
import { failureUserCandidate } from '../engine/candidates.js';
import type { RunContext } from '../engine/context.js';
import { rankByTrainScore } from '../engine/nodes.js';
import { raceUserCandidates } from '../selection/user-candidates.js';
import type { StoredNode } from '../store/run-store.js';
import {
  bestOf,
  type ExpansionLevel,
  expand,
  pointOf,
  rootNode,
  testOnce,
  type UserSearchResult,
  type UserSearchSpec,
  write,
} from './user-search.js';

/**
 * ProTeGi as the reference runs it (protegi.py): an initial expansion of the initial prompt into
 * `numUserCandidates` rewrites from its failures, then `rounds` rounds in which every kept node
 * gets as many rewrites; after each, the best `beamSize` of kept nodes and new ones are kept.
 * Every node ever kept is scored once on test. Iteration 0 is the initial prompt, 1 the initial
 * expansion, 1 + r round r; each point is the level's best node by train score. Under
 * `userSelection: racing` each level's new nodes race the kept ones for the `beamSize` places,
 * the search's `racingDelta` spread evenly over its levels.
 */
export async function runProtegi(
  ctx: RunContext,
  spec: UserSearchSpec,
  rounds = ctx.config.adaptIterations,
): Promise<UserSearchResult> {
  const initial = await rootNode(ctx, spec);
  const levels: StoredNode[][] = [[initial]];
  let beam = [initial];
  const levelCount = rounds + 1;
  for (let iteration = 1; iteration <= levelCount; iteration += 1) {
    const level: ExpansionLevel = {
      iteration,
      perParent: ctx.config.numUserCandidates,
      generate: failureUserCandidate,
      phase: 'adapt',
    };
    const children = racesProtegiLevels(ctx.config)
      ? await raceUserCandidates(ctx, {
          scope: spec.raceScope(iteration),
          kept: beam,
          written: await write(ctx, spec, beam, level),
          keep: ctx.config.beamSize,
          delta: ctx.config.racingDelta / levelCount,
        })
      : await expand(ctx, spec, beam, level);
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
