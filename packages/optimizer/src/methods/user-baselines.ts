import type { AdaptPoint, RunResult, TaskSpec } from '@metaspo/schemas';
import {
  apeResampleCandidate,
  apeUserCandidate,
  failureUserCandidate,
  type UserCandidateGenerator,
} from '../engine/candidates.js';
import { mean, nodeDraft, type RunContext, rankByTrainScore } from '../engine/context.js';
import type { StoredNode } from '../store/run-store.js';

/** One user-prompt optimization of one task under a fixed system prompt. */
export interface UserSearchSpec {
  task: TaskSpec;
  systemPrompt: string;
  /** Prefix of every step key and seed scope, so several searches share one store. */
  scope: string;
}

export interface UserSearchResult {
  initial: StoredNode;
  best: StoredNode;
  /** ProTeGi: per iteration (0 = the initial prompt) the best train node and its test score. */
  points: AdaptPoint[];
}

async function rootNode(ctx: RunContext, spec: UserSearchSpec): Promise<StoredNode> {
  const node = await ctx.ensureNode(`${spec.scope}/i0/initial`, async () =>
    nodeDraft({
      parentId: null,
      kind: 'user',
      taskId: spec.task.id,
      systemPrompt: spec.systemPrompt,
      userPrompt: spec.task.initialUserPrompt,
      iteration: 0,
      phase: 'initial',
      candidateIndex: 0,
    }),
  );
  return ctx.evaluate(node, 'train');
}

/** Expands every parent into `perParent` candidates, evaluated on train; dropped ones are left out. */
async function expand(
  ctx: RunContext,
  spec: UserSearchSpec,
  parents: readonly StoredNode[],
  iteration: number,
  perParent: number,
  generate: UserCandidateGenerator,
  phase: 'adapt' | 'inner',
): Promise<StoredNode[]> {
  const children = await Promise.all(
    parents.flatMap((parent, p) =>
      Array.from({ length: perParent }, async (_, c) => {
        const candidateIndex = p * perParent + c;
        const node = await ctx.ensureNode(`${spec.scope}/i${iteration}/c${candidateIndex}`, () =>
          generate(ctx, {
            task: spec.task,
            parent,
            systemPrompt: spec.systemPrompt,
            iteration,
            phase,
            candidateIndex,
            scope: spec.scope,
          }),
        );
        return ctx.evaluate(node, 'train');
      }),
    ),
  );
  return children.filter((n) => !n.droppedReason);
}

/**
 * ProTeGi: beam search over user prompts. Each iteration expands every beam node into
 * `numUserCandidates` rewrites from its failures and keeps the best `beamSize`. The best train
 * node of every iteration is tested (once, however many iterations it stays best).
 */
export async function runProtegi(
  ctx: RunContext,
  spec: UserSearchSpec,
  iterations = ctx.config.adaptIterations,
): Promise<UserSearchResult> {
  const initial = await rootNode(ctx, spec);
  let beam = [initial];
  const bestPerIteration = [initial];
  for (let iteration = 1; iteration <= iterations; iteration += 1) {
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
    bestPerIteration.push(beam[0] as StoredNode);
  }
  const tested = new Map<string, Promise<StoredNode>>();
  for (const node of bestPerIteration) {
    if (!tested.has(node.id)) tested.set(node.id, ctx.evaluate(node, 'test'));
  }
  const points: AdaptPoint[] = await Promise.all(
    bestPerIteration.map(async (node, iteration) => {
      const withTest = await (tested.get(node.id) as Promise<StoredNode>);
      return {
        iteration,
        bestTrainScore: withTest.trainScore ?? 0,
        testScore: withTest.testScore ?? 0,
        userPrompt: withTest.userPrompt,
      };
    }),
  );
  const last = bestPerIteration[bestPerIteration.length - 1] as StoredNode;
  return { initial, best: await (tested.get(last.id) as Promise<StoredNode>), points };
}

/**
 * APE: `numUserCandidates` proposals from demonstrations, the best `userTopK` (with the
 * initial prompt) each resampled `numUserCandidates` times; the best of all is tested.
 */
export async function runApe(ctx: RunContext, spec: UserSearchSpec): Promise<UserSearchResult> {
  const initial = await rootNode(ctx, spec);
  const proposals = await expand(
    ctx,
    spec,
    [initial],
    1,
    ctx.config.numUserCandidates,
    apeUserCandidate,
    'inner',
  );
  const top = rankByTrainScore([initial, ...proposals]).slice(0, ctx.config.userTopK);
  const resampled = await expand(
    ctx,
    spec,
    top,
    2,
    ctx.config.numUserCandidates,
    apeResampleCandidate,
    'inner',
  );
  const best = await ctx.evaluate(
    rankByTrainScore([initial, ...proposals, ...resampled])[0] as StoredNode,
    'test',
  );
  const point = (iteration: number, node: StoredNode) => ({
    iteration,
    bestTrainScore: node.trainScore ?? 0,
    testScore: node.testScore ?? 0,
    userPrompt: node.userPrompt,
  });
  return { initial, best, points: [point(1, best)] };
}

/** A run of a user-prompt baseline: every task optimized under the fixed initial system prompt. */
export async function runUserBaseline(ctx: RunContext): Promise<RunResult> {
  await ctx.enterPhase('inner', 1);
  const systemPrompt = ctx.config.initialSystemPrompt;
  const search = ctx.config.method === 'ape' ? runApe : runProtegi;
  const results = await Promise.all(
    ctx.tasks.map((task) => search(ctx, { task, systemPrompt, scope: `task/${task.id}` })),
  );
  await ctx.enterPhase('test', 1);
  const costUsd = await ctx.refreshCost();
  ctx.reportProgress(true);
  return {
    optimizedSystemPrompt: systemPrompt,
    scores: {
      initial: mean(results.map((r) => r.initial.trainScore ?? 0)),
      final: mean(results.map((r) => r.best.trainScore ?? 0)),
      test: mean(results.map((r) => r.best.testScore ?? 0)),
    },
    calls: ctx.store.callTotals(),
    costUsd,
  };
}
