import type { AdaptPoint, TaskSpec } from '@metaspo/schemas';
import type { UserCandidateGenerator } from '../engine/candidates.js';
import type { RunContext } from '../engine/context.js';
import { nodeDraft } from '../engine/nodes.js';
import type { StoredNode } from '../store/run-store.js';

/** One user-prompt optimization of one task under a fixed system prompt. */
export interface UserSearchSpec {
  task: TaskSpec;
  systemPrompt: string;
  /** Prefix of every step key and seed scope, so several searches share one store. */
  scope: string;
  /** Names the race of an expansion's candidates under `userSelection: racing` (ProTeGi). */
  raceScope: (iteration: number) => string;
}

export interface UserSearchResult {
  /** The initial prompt, scored on train and test. */
  initial: StoredNode;
  /** The best node by train score, scored on test. */
  best: StoredNode;
  /** Per iteration (0 = the initial prompt) the best train node and its test score. */
  points: AdaptPoint[];
}

/** The task's initial prompt under the search's system prompt, scored on train. */
export async function rootNode(ctx: RunContext, spec: UserSearchSpec): Promise<StoredNode> {
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
export function expand(
  ctx: RunContext,
  spec: UserSearchSpec,
  parents: readonly StoredNode[],
  level: ExpansionLevel,
): Promise<StoredNode[]> {
  return children(ctx, spec, parents, level, (node) => ctx.evaluate(node, 'train'));
}

/** Expands every parent into `perParent` candidates, written and not scored; dropped ones are left out. */
export function write(
  ctx: RunContext,
  spec: UserSearchSpec,
  parents: readonly StoredNode[],
  level: ExpansionLevel,
): Promise<StoredNode[]> {
  return children(ctx, spec, parents, level, async (node) => node);
}

/** One expansion of a search: its iteration, how many children per parent, and how they are written. */
export interface ExpansionLevel {
  iteration: number;
  perParent: number;
  generate: UserCandidateGenerator;
  phase: 'adapt' | 'inner';
}

async function children(
  ctx: RunContext,
  spec: UserSearchSpec,
  parents: readonly StoredNode[],
  { iteration, perParent, generate, phase }: ExpansionLevel,
  then: (node: StoredNode) => Promise<StoredNode>,
): Promise<StoredNode[]> {
  const nodes = await Promise.all(
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
        return then(node);
      }),
    ),
  );
  return nodes.filter((n) => !n.droppedReason);
}

/**
 * A test evaluation per node id, however many times the node is asked for: a node kept over
 * several rounds (or both initial and best) is scored once, as the reference does.
 */
export function testOnce(ctx: RunContext): (node: StoredNode) => Promise<StoredNode> {
  const tested = new Map<string, Promise<StoredNode>>();
  return (node) => {
    let result = tested.get(node.id);
    if (!result) {
      result = ctx.evaluate(node, 'test');
      tested.set(node.id, result);
    }
    return result;
  };
}

/** The first node of a ranked, non-empty list. */
export function bestOf(ranked: readonly StoredNode[]): StoredNode {
  const [best] = ranked;
  if (!best) throw new Error('a search level kept no node');
  return best;
}

export function pointOf(iteration: number, best: StoredNode): AdaptPoint {
  return {
    iteration,
    bestTrainScore: best.trainScore ?? 0,
    testScore: best.testScore ?? 0,
    userPrompt: best.userPrompt,
  };
}
