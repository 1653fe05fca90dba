import type { RunResult } from '@metaspo/schemas';
import type { RunContext } from '../engine/context.js';
import { mean } from '../engine/nodes.js';
import { runApe } from './ape.js';
import { runProtegi } from './protegi.js';

/** A run of a user-prompt baseline: every task optimized under the fixed initial system prompt. */
export async function runUserBaseline(ctx: RunContext): Promise<RunResult> {
  await ctx.enterPhase('inner', 1);
  const systemPrompt = ctx.config.initialSystemPrompt;
  const search = ctx.config.method === 'ape' ? runApe : runProtegi;
  const results = await Promise.all(
    ctx.tasks.map((task) =>
      search(ctx, {
        task,
        systemPrompt,
        scope: `task/${task.id}`,
        // One search per task: its races read as the task's user-prompt loop in iteration i.
        raceScope: (iteration) => `i${iteration}/inner/${task.id}`,
      }),
    ),
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
