import type { RunResult, TaskSpec } from '@metaspo/schemas';
import { createRng, shuffled } from '@metaspo/service-kit';
import type { RunContext } from '../engine/context.js';
import { mean, nodeDraft } from '../engine/nodes.js';
import type { StoredNode } from '../store/run-store.js';
import {
  applyEdit,
  asComponent,
  ComponentStats,
  type Edit,
  joinComponents,
  parentIndexOf,
  planEdit,
  SPRIG_DEFAULTS,
} from './sprig-edits.js';
import { rephraseComponentRequest, SPRIG_REPLY_TAG } from './sprig-prompts.js';

/** A system prompt SPRIG has scored: its components, node, and per-task pairs. */
interface Scored {
  components: string[];
  prompt: string;
  node: StoredNode;
  pairs: StoredNode[];
  score: number;
}

const CORPUS_MISSING =
  'SPRIG builds system prompts from the prompt component corpus (Prompt_Component_Corpus.csv), ' +
  'which is not fetched yet: run `metaspo datasets fetch --all`, or `metaspo datasets fetch --all --from DIR` ' +
  'with DIR laid out like ../shared/datasets, then resume this run';

/**
 * SPRIG (Zhang et al., arXiv 2410.14826): a beam search over system prompts made of corpus
 * components, edited by add / rephrase (the optimizer model) / swap / delete. Every candidate is
 * scored on every meta-train task with the task's initial user prompt; the next beam is the
 * best `beamWidth` of an iteration's candidates, and the result the best prompt ever scored.
 * Steps are keyed, so a resumed run replays this function and skips what its store holds.
 */
export async function runSprig(ctx: RunContext): Promise<RunResult> {
  const corpus = await ctx.clients.datasets.protocol.componentCorpus.query(undefined, { signal: ctx.signal });
  if (!corpus || corpus.components.length === 0) throw new Error(CORPUS_MISSING);
  const stats = new ComponentStats([...new Set(corpus.components.map((c) => asComponent(c.text)))]);

  await ctx.enterPhase('initial', 0);
  const start = await scoreCandidate(ctx, 's0/c0', [], null, 0, 0);
  const scored = new Map<string, Scored>([[start.prompt, start]]);
  let beam: Scored[] = [start];
  let best = start;

  for (let iteration = 1; iteration <= ctx.config.iterations; iteration += 1) {
    await ctx.enterPhase('outer', iteration);
    const pool = stats.addPool(SPRIG_DEFAULTS.addPoolSize, createRng(ctx.seed('sprig-ucb', iteration)));
    const plans = planIteration(ctx, beam, pool, iteration);
    const built = await Promise.all(plans.map((plan, j) => buildCandidate(ctx, plan, iteration, j)));
    const fresh = new Map<string, Promise<Scored>>();
    const results = await Promise.all(
      built.map(async (candidate, j) => {
        if (!candidate) return null;
        const known = scored.get(candidate.prompt);
        if (known) return { plan: plans[j]!, scored: sameAs(ctx, candidate.node, known) };
        let pending = fresh.get(candidate.prompt);
        if (!pending) {
          pending = scorePairs(ctx, candidate.node, candidate.components);
          fresh.set(candidate.prompt, pending);
          return { plan: plans[j]!, scored: await pending };
        }
        return { plan: plans[j]!, scored: await sameAs(ctx, candidate.node, await pending) };
      }),
    );
    const kept: Scored[] = [];
    for (const result of results) {
      if (!result) continue;
      const { plan, scored: candidate } = result;
      if (plan.edit.kind === 'add') stats.credit(plan.edit.component, candidate.score - plan.parent.score);
      if (plan.edit.kind === 'delete') {
        stats.credit(
          plan.parent.components[plan.edit.position] as string,
          plan.parent.score - candidate.score,
        );
      }
      if (plan.edit.kind === 'rephrase') {
        const from = plan.parent.components[plan.edit.position] as string;
        stats.registerRephrase(candidate.components[plan.edit.position] as string, from);
      }
      if (!scored.has(candidate.prompt)) scored.set(candidate.prompt, candidate);
      const original = scored.get(candidate.prompt) as Scored;
      if (!kept.includes(original)) kept.push(original);
      if (original.score > best.score) best = original;
    }
    // SPRIG keeps the best of the iteration's candidates only (not their parents); equal scores
    // keep candidate order. With every candidate dropped, the beam stays as it was.
    if (kept.length > 0) {
      beam = kept
        .map((s, order) => ({ s, order }))
        .sort((a, b) => b.s.score - a.s.score || a.order - b.order)
        .slice(0, SPRIG_DEFAULTS.beamWidth)
        .map((x) => x.s);
    }
    ctx.store.putStepOnce(`sprig:beam:i${String(iteration).padStart(3, '0')}`, {
      iteration,
      beam: beam.map((s) => ({ nodeId: s.node.id, score: s.score, systemPrompt: s.prompt })),
      best: { nodeId: best.node.id, score: best.score },
    });
  }

  await ctx.enterPhase('test', ctx.config.iterations);
  const tested = await Promise.all(best.pairs.map((pair) => ctx.evaluate(pair, 'test')));
  const costUsd = await ctx.refreshCost();
  ctx.reportProgress(true);
  return {
    optimizedSystemPrompt: best.prompt,
    scores: {
      initial: start.score,
      final: best.score,
      test: mean(tested.map((n) => n.testScore ?? 0)),
    },
    calls: ctx.store.callTotals(),
    costUsd,
  };
}

interface Plan {
  parent: Scored;
  edit: Edit;
}

function planIteration(ctx: RunContext, beam: readonly Scored[], pool: readonly string[], iteration: number) {
  const addOrders = beam.map((_, p) => shuffled(pool, createRng(ctx.seed('sprig-add', iteration, p))));
  const addsSoFar = beam.map(() => 0);
  return Array.from({ length: SPRIG_DEFAULTS.candidatesPerIteration }, (_, j): Plan => {
    const p = parentIndexOf(j, beam.length);
    const parent = beam[p] as Scored;
    const edit = planEdit(
      parent.components,
      j,
      addOrders[p] as string[],
      addsSoFar[p] as number,
      ctx.seed('sprig', iteration, j),
    );
    if (edit.kind === 'add') addsSoFar[p] = (addsSoFar[p] as number) + 1;
    return { parent, edit };
  });
}

/** The candidate's node (a rephrase asks the optimizer first); null when it was dropped. */
async function buildCandidate(
  ctx: RunContext,
  plan: Plan,
  iteration: number,
  j: number,
): Promise<{ node: StoredNode; components: string[]; prompt: string } | null> {
  const { parent, edit } = plan;
  const node = await ctx.ensureNode(`s${iteration}/c${j}`, async () => {
    const fields = {
      parentId: parent.node.id,
      kind: 'system' as const,
      taskId: null,
      userPrompt: '',
      iteration,
      phase: 'outer' as const,
      candidateIndex: j,
    };
    if (edit.kind !== 'rephrase') {
      return nodeDraft({ ...fields, systemPrompt: joinComponents(applyEdit(parent.components, edit)) });
    }
    const stats = { optimizerCalls: 0, optimizerRetries: 0, cachedCalls: 0 };
    const outcome = await ctx.optimizerReply(
      rephraseComponentRequest({
        component: parent.components[edit.position] as string,
        systemPrompt: parent.prompt,
      }),
      SPRIG_REPLY_TAG,
      // The same component rephrased in two iterations is two samples.
      { site: ['sprig-rephrase', iteration], candidateIndex: j },
      stats,
      (text) => (asComponent(text) === '' ? 'the paraphrase is empty' : null),
    );
    const systemPrompt = outcome.ok
      ? joinComponents(applyEdit(parent.components, edit, asComponent(outcome.text)))
      : '';
    return nodeDraft({ ...fields, systemPrompt, ...stats }, outcome.ok ? null : outcome.reason);
  });
  if (node.droppedReason) return null;
  return { node, components: node.systemPrompt.split('\n'), prompt: node.systemPrompt };
}

/** A new prompt: a node, and its pairs with every task scored on train. */
async function scoreCandidate(
  ctx: RunContext,
  stepKey: string,
  components: string[],
  parentId: string | null,
  iteration: number,
  candidateIndex: number,
): Promise<Scored> {
  const node = await ctx.ensureNode(stepKey, async () =>
    nodeDraft({
      parentId,
      kind: 'system',
      taskId: null,
      systemPrompt: joinComponents(components),
      userPrompt: '',
      iteration,
      phase: iteration === 0 ? 'initial' : 'outer',
      candidateIndex,
    }),
  );
  return scorePairs(ctx, node, components);
}

async function scorePairs(ctx: RunContext, node: StoredNode, components: string[]): Promise<Scored> {
  const pairs = await Promise.all(ctx.tasks.map((task) => scoredPair(ctx, node, task)));
  const score = mean(pairs.map((p) => p.trainScore ?? 0));
  return { components, prompt: node.systemPrompt, node: withScore(ctx, node, score), pairs, score };
}

async function scoredPair(ctx: RunContext, candidate: StoredNode, task: TaskSpec): Promise<StoredNode> {
  const pair = await ctx.ensureNode(`${candidate.stepKey}/${task.id}`, async () =>
    nodeDraft({
      parentId: candidate.id,
      kind: 'system',
      taskId: task.id,
      systemPrompt: candidate.systemPrompt,
      userPrompt: task.initialUserPrompt,
      iteration: candidate.iteration,
      phase: candidate.phase,
      candidateIndex: candidate.candidateIndex,
    }),
  );
  return ctx.evaluate(pair, 'train');
}

/** A candidate whose prompt was already scored: it takes that score and sends no request. */
function sameAs(ctx: RunContext, node: StoredNode, known: Scored): Scored {
  withScore(ctx, node, known.score);
  return known;
}

function withScore(ctx: RunContext, node: StoredNode, score: number): StoredNode {
  if (node.trainScore === null) ctx.store.updateNode(node.id, { trainScore: score }, {});
  return { ...node, trainScore: node.trainScore ?? score };
}
