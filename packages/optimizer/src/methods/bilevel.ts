import type { IterationSnapshot, RunResult } from '@metaspo/schemas';
import { bilevelIterations } from '../call-count.js';
import {
  apeSystemCandidate,
  apeUserCandidate,
  failureSystemCandidate,
  failureUserCandidate,
  type SystemCandidateGenerator,
  type UserCandidateGenerator,
} from '../engine/candidates.js';
import type { RunContext } from '../engine/context.js';
import { mean, nodeDraft, rankByTrainScore } from '../engine/nodes.js';
import { type Beam, scoreSystemCandidates } from '../selection/system-candidates.js';
import { scoreUserCandidates } from '../selection/user-candidates.js';
import type { StoredNode } from '../store/run-store.js';

interface BilevelState {
  system: StoredNode;
  beams: Beam[];
}

interface Generators {
  user: UserCandidateGenerator | null;
  system: SystemCandidateGenerator;
}

export interface SystemDecision {
  iteration: number;
  accepted: boolean;
  candidateNodeId: string | null;
  candidateScore: number;
  currentScore: number;
  systemPrompt: string;
}

const scoresOf = (beams: readonly Beam[]) => beams.flatMap((b) => b.nodes.map((n) => n.trainScore ?? 0));

/**
 * MetaSPO (arXiv 2505.09666) and its variants: `metaspo` (inner + outer loop), `outer-loop`
 * (outer loop only, iterations doubled) and `metaspo-ape` (APE-style candidates). Every step is
 * keyed, so a resumed run replays this function and skips what its store already holds.
 */
export async function runBilevel(ctx: RunContext): Promise<RunResult> {
  const method = ctx.config.method;
  const generators: Generators =
    method === 'metaspo-ape'
      ? { user: apeUserCandidate, system: apeSystemCandidate }
      : { user: method === 'outer-loop' ? null : failureUserCandidate, system: failureSystemCandidate };

  let state = await initialState(ctx);
  const initialScore = mean(scoresOf(state.beams));
  snapshot(ctx, state, 0, 'initial', null);

  for (let iteration = 1; iteration <= bilevelIterations(ctx.config); iteration += 1) {
    if (generators.user) {
      state = await innerLoop(ctx, state, iteration, generators.user);
      snapshot(ctx, state, iteration, 'inner', null);
    }
    const decision = await outerLoop(ctx, state, iteration, generators.system);
    state = decision.state;
    snapshot(ctx, state, iteration, 'outer', decision.accepted);
  }

  await ctx.enterPhase('test', bilevelIterations(ctx.config));
  const tested = await Promise.all(
    state.beams.map(async (beam) => ({
      ...beam,
      nodes: await Promise.all(beam.nodes.map((node) => ctx.evaluate(node, 'test'))),
    })),
  );
  const costUsd = await ctx.refreshCost();
  ctx.reportProgress(true);
  return {
    optimizedSystemPrompt: state.system.systemPrompt,
    scores: {
      initial: initialScore,
      final: mean(scoresOf(tested)),
      test: mean(tested.flatMap((b) => b.nodes.map((n) => n.testScore ?? 0))),
    },
    calls: ctx.store.callTotals(),
    costUsd,
  };
}

async function initialState(ctx: RunContext): Promise<BilevelState> {
  await ctx.enterPhase('initial', 0);
  const systemPrompt = ctx.config.initialSystemPrompt;
  const system = await ctx.ensureNode('i0/system', async () =>
    nodeDraft({
      parentId: null,
      kind: 'system',
      taskId: null,
      systemPrompt,
      userPrompt: '',
      iteration: 0,
      phase: 'initial',
      candidateIndex: 0,
    }),
  );
  const beams = await Promise.all(
    ctx.tasks.map(async (task) => {
      const node = await ctx.ensureNode(`i0/initial/${task.id}`, async () =>
        nodeDraft({
          parentId: system.id,
          kind: 'user',
          taskId: task.id,
          systemPrompt,
          userPrompt: task.initialUserPrompt,
          iteration: 0,
          phase: 'initial',
          candidateIndex: 0,
        }),
      );
      return { task, nodes: [await ctx.evaluate(node, 'train')] };
    }),
  );
  return { system: withScore(ctx, system, mean(scoresOf(beams))), beams };
}

/** Records a system node's mean score once it is known (its pairs are the per-task nodes). */
function withScore(ctx: RunContext, node: StoredNode, score: number): StoredNode {
  if (node.trainScore === null) ctx.store.updateNode(node.id, { trainScore: score }, {});
  return { ...node, trainScore: node.trainScore ?? score };
}

async function innerLoop(
  ctx: RunContext,
  state: BilevelState,
  iteration: number,
  generate: UserCandidateGenerator,
): Promise<BilevelState> {
  await ctx.enterPhase('inner', iteration);
  const beams = await Promise.all(
    state.beams.map(async (beam) => {
      const parent = beam.nodes[0] as StoredNode;
      const survivors = await scoreUserCandidates(ctx, {
        iteration,
        beam,
        generated: (candidateIndex) =>
          ctx.ensureNode(`i${iteration}/inner/${beam.task.id}/c${candidateIndex}`, () =>
            generate(ctx, {
              task: beam.task,
              parent,
              systemPrompt: state.system.systemPrompt,
              iteration,
              phase: 'inner',
              candidateIndex,
              scope: 'inner',
            }),
          ),
      });
      return {
        task: beam.task,
        nodes: rankByTrainScore([...beam.nodes, ...survivors]).slice(0, ctx.config.userTopK),
      };
    }),
  );
  return { system: state.system, beams };
}

async function outerLoop(
  ctx: RunContext,
  state: BilevelState,
  iteration: number,
  generate: SystemCandidateGenerator,
): Promise<{ state: BilevelState; accepted: boolean }> {
  await ctx.enterPhase('outer', iteration);
  const candidates = (
    await scoreSystemCandidates(ctx, { iteration, current: state.system, beams: state.beams, generate })
  ).map((c) => (c ? { system: withScore(ctx, c.system, mean(scoresOf(c.beams))), beams: c.beams } : null));

  // Greedy acceptance in candidate order, as the reference: a candidate replaces the system
  // prompt only if its mean over the same (task, user prompt) pairs is strictly higher.
  const currentScore = mean(scoresOf(state.beams));
  let best: { state: BilevelState; score: number } | null = null;
  for (const candidate of candidates) {
    if (!candidate) continue;
    const score = mean(scoresOf(candidate.beams));
    if (score > (best?.score ?? currentScore)) best = { state: candidate, score };
  }
  const next: BilevelState = best
    ? {
        system: best.state.system,
        beams: best.state.beams.map((b) => ({ ...b, nodes: rankByTrainScore(b.nodes) })),
      }
    : state;
  const decision: SystemDecision = {
    iteration,
    accepted: best !== null,
    candidateNodeId: best?.state.system.id ?? null,
    candidateScore: best?.score ?? Math.max(-1, ...candidates.map((c) => (c ? mean(scoresOf(c.beams)) : -1))),
    currentScore,
    systemPrompt: next.system.systemPrompt,
  };
  if (ctx.store.putStepOnce(`decision:i${String(iteration).padStart(3, '0')}`, decision)) {
    ctx.store.emit({
      type: 'system-decision',
      iteration,
      accepted: decision.accepted,
      candidateScore: decision.candidateScore,
      currentScore,
      systemPrompt: decision.systemPrompt,
    });
  }
  return { state: next, accepted: best !== null };
}

function snapshot(
  ctx: RunContext,
  state: BilevelState,
  iteration: number,
  stage: IterationSnapshot['stage'],
  accepted: boolean | null,
): void {
  const order = stage === 'initial' ? 0 : stage === 'inner' ? iteration * 2 - 1 : iteration * 2;
  const value: IterationSnapshot = {
    iteration,
    stage,
    systemPrompt: state.system.systemPrompt,
    accepted,
    meanScore: mean(scoresOf(state.beams)),
    tasks: state.beams.map((b) => ({
      taskId: b.task.id,
      bestScore: b.nodes[0]?.trainScore ?? 0,
      meanScore: mean(b.nodes.map((n) => n.trainScore ?? 0)),
      nodeIds: b.nodes.map((n) => n.id),
    })),
  };
  ctx.store.putStepOnce(`snapshot:${String(order).padStart(4, '0')}`, value);
}
