import type {
  DatasetsClient,
  LabelledSystemPrompt,
  TaskSpec,
  UnseenResult,
  UserPromptOrigin,
} from '@metaspo/schemas';
import { stableHash } from '@metaspo/service-kit';
import { apeUserCandidate } from '../engine/candidates.js';
import type { RunContext } from '../engine/context.js';
import { mean, nodeDraft } from '../engine/nodes.js';
import { metaPromptsOf } from '../meta-prompts.js';
import type { MetaTestStore } from './meta-test-store.js';

/**
 * The first N of the reference's user prompts for the task, or null when the registry does not
 * hold its file (or holds none for it).
 */
export async function referenceUserPrompts(
  datasets: DatasetsClient,
  taskId: string,
  count: number,
  signal?: AbortSignal,
): Promise<string[] | null> {
  const file = await datasets.protocol.unseenUserPrompts.query({ taskId }, signal ? { signal } : undefined);
  const prompts = file?.prompts.slice(0, count) ?? [];
  return prompts.length > 0 ? prompts : null;
}

/**
 * The task's N user prompts, generated APE-style from train examples once and stored, so that
 * every system prompt (in this and later meta-tests) is compared on the same user prompts.
 */
async function generatedUserPrompts(
  ctx: RunContext,
  store: MetaTestStore,
  task: TaskSpec,
): Promise<string[]> {
  const count = ctx.config.unseenUserPrompts;
  const key = stableHash({
    taskId: task.id,
    model: ctx.config.optimizerModel,
    temperature: ctx.config.optimizerTemperature,
    seed: ctx.config.seed,
    trainSize: ctx.config.trainSize,
    count,
    metaPrompts: metaPromptsOf(ctx.config).hash,
  });
  const stored = store.findUserPrompts(key);
  if (stored) return stored;
  const parent = await ctx.ensureNode(`unseen/${task.id}/root`, async () =>
    nodeDraft({
      parentId: null,
      kind: 'user',
      taskId: task.id,
      systemPrompt: '',
      userPrompt: task.initialUserPrompt,
      iteration: 0,
      phase: 'unseen',
      candidateIndex: 0,
    }),
  );
  const nodes = await Promise.all(
    Array.from({ length: count }, (_, candidateIndex) =>
      ctx.ensureNode(`unseen/${task.id}/c${candidateIndex}`, () =>
        apeUserCandidate(ctx, {
          task,
          parent,
          systemPrompt: '',
          iteration: 0,
          phase: 'unseen',
          candidateIndex,
          scope: 'unseen',
        }),
      ),
    ),
  );
  const generated = nodes.filter((n) => !n.droppedReason).map((n) => n.userPrompt);
  const prompts = generated.length > 0 ? generated : [task.initialUserPrompt];
  store.saveUserPrompts(key, task.id, prompts);
  return prompts;
}

/** The reference's prompts where asked (or by default) and held, else generated ones. */
async function userPromptsFor(
  ctx: RunContext,
  store: MetaTestStore,
  task: TaskSpec,
  choice: UserPromptOrigin | undefined,
): Promise<{ userPrompts: string[]; userPromptOrigin: UserPromptOrigin }> {
  const reference =
    choice === 'generated'
      ? null
      : await referenceUserPrompts(ctx.clients.datasets, task.id, ctx.config.unseenUserPrompts, ctx.signal);
  if (reference) return { userPrompts: reference, userPromptOrigin: 'reference' };
  return { userPrompts: await generatedUserPrompts(ctx, store, task), userPromptOrigin: 'generated' };
}

/**
 * Unseen generalization: every system prompt x every user prompt of each task (the reference's
 * or generated ones, see userPromptsFor), on each task's test split.
 */
export async function runUnseenMetaTest(
  ctx: RunContext,
  store: MetaTestStore,
  systemPrompts: readonly LabelledSystemPrompt[],
  userPromptChoice: UserPromptOrigin | undefined,
): Promise<UnseenResult> {
  await ctx.enterPhase('unseen', 0);
  const tasks = await Promise.all(
    ctx.tasks.map(async (task) => {
      const { userPrompts, userPromptOrigin } = await userPromptsFor(ctx, store, task, userPromptChoice);
      const perLabel = await Promise.all(
        systemPrompts.map(async ({ label, prompt }, s) => {
          const scores = await Promise.all(
            userPrompts.map(async (userPrompt, u) => {
              const node = await ctx.ensureNode(`unseen/${task.id}/s${s}/u${u}`, async () =>
                nodeDraft({
                  parentId: null,
                  kind: 'system',
                  taskId: task.id,
                  systemPrompt: prompt,
                  userPrompt,
                  iteration: 0,
                  phase: 'unseen',
                  candidateIndex: u,
                }),
              );
              return (await ctx.evaluate(node, 'test')).testScore ?? 0;
            }),
          );
          return [label, scores] as const;
        }),
      );
      const perUserPrompt = Object.fromEntries(perLabel.map(([label, scores]) => [label, [...scores]]));
      const scores = Object.fromEntries(perLabel.map(([label, s]) => [label, mean(s)]));
      return { taskId: task.id, domain: task.domain, userPrompts, userPromptOrigin, scores, perUserPrompt };
    }),
  );
  const labels = systemPrompts.map((p) => p.label);
  const averageOf = (rows: typeof tasks) =>
    Object.fromEntries(labels.map((label) => [label, mean(rows.map((t) => t.scores[label] ?? 0))]));
  const domains = [...new Set(tasks.map((t) => t.domain))];
  return {
    labels,
    tasks,
    domainAverages: domains.map((domain) => ({
      domain,
      scores: averageOf(tasks.filter((t) => t.domain === domain)),
    })),
    overall: averageOf(tasks),
  };
}
