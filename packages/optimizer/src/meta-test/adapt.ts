import type { AdaptResult, LabelledSystemPrompt } from '@metaspo/schemas';
import type { RunContext } from '../engine/context.js';
import { mean } from '../engine/nodes.js';
import { runProtegi } from '../methods/protegi.js';

/**
 * Test-time adaptation: ProTeGi on each unseen task with the system prompt fixed, once per
 * system prompt; a curve has a point per level (initial prompt, initial expansion, each round).
 * The bar is the default system prompt's final test score (the first label when "default" is
 * not compared); a curve reaches it at the first level whose test score is as high.
 */
export async function runAdaptMetaTest(
  ctx: RunContext,
  systemPrompts: readonly LabelledSystemPrompt[],
): Promise<AdaptResult> {
  await ctx.enterPhase('adapt', 0);
  const labels = systemPrompts.map((p) => p.label);
  const barLabel = labels.includes('default') ? 'default' : labels[0];
  const tasks = await Promise.all(
    ctx.tasks.map(async (task) => {
      const curves = await Promise.all(
        systemPrompts.map(async ({ label, prompt }, s) => {
          const scope = `adapt/${task.id}/s${s}`;
          const search = await runProtegi(ctx, {
            task,
            systemPrompt: prompt,
            scope,
            raceScope: (iteration) => `${scope}/i${iteration}`,
          });
          return { label, points: search.points };
        }),
      );
      const bar = curves.find((c) => c.label === barLabel)?.points.at(-1)?.testScore ?? 0;
      return {
        taskId: task.id,
        defaultFinalScore: bar,
        curves: curves.map((c) => ({
          ...c,
          iterationsToReachDefault: c.points.find((p) => p.testScore >= bar)?.iteration ?? null,
        })),
      };
    }),
  );
  const meanCurves = Object.fromEntries(
    labels.map((label) => {
      const curves = tasks.map((t) => t.curves.find((c) => c.label === label)?.points ?? []);
      const length = Math.max(0, ...curves.map((c) => c.length));
      return [label, Array.from({ length }, (_, i) => mean(curves.map((c) => c[i]?.testScore ?? 0)))];
    }),
  );
  return { labels, tasks, meanCurves };
}
