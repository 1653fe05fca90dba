import type { TaskSpec } from '@metaspo/schemas';
import type { SystemCandidateGenerator } from '../engine/candidates.js';
import type { RunContext } from '../engine/context.js';
import { nodeDraft } from '../engine/nodes.js';
import { type PairGrid, raceCandidates } from '../engine/racing.js';
import { INCUMBENT } from '../engine/racing-schedule.js';
import type { StoredNode } from '../store/run-store.js';

/** Per task, its kept user prompts under a system prompt, best first. */
export interface Beam {
  task: TaskSpec;
  nodes: StoredNode[];
}

export interface SystemCandidatesSpec {
  iteration: number;
  /** The current system prompt's node. */
  current: StoredNode;
  /** Its beams, scored on the whole train sample. */
  beams: readonly Beam[];
  generate: SystemCandidateGenerator;
}

export interface ScoredSystemCandidate {
  system: StoredNode;
  /** The candidate's pairs (one per kept user prompt of each task), scored on train. */
  beams: Beam[];
}

/** A candidate's (task, kept user prompt) pairs under its system prompt, stored unscored. */
function candidatePairs(ctx: RunContext, spec: SystemCandidatesSpec, candidate: StoredNode): Promise<Beam[]> {
  const { iteration } = spec;
  return Promise.all(
    spec.beams.map(async (beam) => ({
      task: beam.task,
      nodes: await Promise.all(
        beam.nodes.map((kept, position) =>
          ctx.ensureNode(
            `i${iteration}/outer/c${candidate.candidateIndex}/${beam.task.id}/u${position}`,
            async () =>
              nodeDraft({
                parentId: kept.id,
                kind: 'system',
                taskId: beam.task.id,
                systemPrompt: candidate.systemPrompt,
                userPrompt: kept.userPrompt,
                iteration,
                phase: 'outer',
                candidateIndex: candidate.candidateIndex,
              }),
          ),
        ),
      ),
    })),
  );
}

const withPairs = (beams: readonly Beam[], grid: PairGrid): Beam[] =>
  beams.map((beam, t) => ({ task: beam.task, nodes: [...(grid[t] ?? [])] }));

/**
 * The system candidates of one outer loop, in candidate order, each with its pairs scored on
 * the whole train sample; null for a candidate the optimizer failed to write or, under
 * `selection: racing`, one its race dropped (engine/racing.ts). `full` evaluates each candidate
 * as soon as it is written; `racing` needs them all written before its first round.
 */
export async function scoreSystemCandidates(
  ctx: RunContext,
  spec: SystemCandidatesSpec,
): Promise<Array<ScoredSystemCandidate | null>> {
  const bestPerTask = spec.beams.map((b) => ({ task: b.task, node: b.nodes[0] as StoredNode }));
  const generated = (candidateIndex: number) =>
    ctx.ensureNode(`i${spec.iteration}/outer/c${candidateIndex}`, () =>
      spec.generate(ctx, { current: spec.current, bestPerTask, iteration: spec.iteration, candidateIndex }),
    );
  const indexes = Array.from({ length: ctx.config.numSystemCandidates }, (_, i) => i);
  if (ctx.config.selection === 'full') {
    return Promise.all(
      indexes.map(async (candidateIndex) => {
        const system = await generated(candidateIndex);
        if (system.droppedReason) return null;
        const pairs = await candidatePairs(ctx, spec, system);
        const beams = await Promise.all(
          pairs.map(async (beam) => ({
            task: beam.task,
            nodes: await Promise.all(beam.nodes.map((pair) => ctx.evaluate(pair, 'train'))),
          })),
        );
        return { system, beams };
      }),
    );
  }
  const entrants = await Promise.all(
    indexes.map(async (candidateIndex) => {
      const system = await generated(candidateIndex);
      if (system.droppedReason) return null;
      return { system, beams: await candidatePairs(ctx, spec, system) };
    }),
  );
  const finished = await raceCandidates(ctx, {
    scope: `i${spec.iteration}/outer`,
    fixed: [{ id: INCUMBENT, pairs: spec.beams.map((b) => b.nodes) }],
    keep: 1,
    delta: ctx.config.racingDelta,
    entrants: entrants.flatMap((e) =>
      e ? [{ id: e.system.candidateIndex, pairs: e.beams.map((b) => b.nodes) }] : [],
    ),
  });
  return entrants.map((entrant) => {
    const grid = entrant ? finished.get(entrant.system.candidateIndex) : undefined;
    return entrant && grid ? { system: entrant.system, beams: withPairs(entrant.beams, grid) } : null;
  });
}
