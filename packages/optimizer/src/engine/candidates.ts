import type { NodePhase, TaskSpec, WrongExample } from '@metaspo/schemas';
import { createRng, sampleWithoutReplacement, shuffled } from '@metaspo/service-kit';
import {
  apeProposalRequest,
  apeResampleRequest,
  type Demonstration,
  metaPromptsOf,
  systemAnalysisRequest,
  systemRewriteRequest,
  userAnalysisRequest,
  userRewriteRequest,
} from '../meta-prompts.js';
import type { StoredNode } from '../store/run-store.js';
import {
  isMetaTestStep,
  type OptimizerCallStats,
  type OptimizerOutcome,
  type OptimizerSample,
  type RunContext,
} from './context.js';
import { type NodeDraft, nodeDraft, placeholderProblem } from './nodes.js';

/** Demonstrations per task shown to APE: 10 for a user prompt, 5 per task for a system prompt. */
const APE_USER_DEMOS = 10;
const APE_SYSTEM_DEMOS_PER_TASK = 5;

interface UserCandidateSpec {
  task: TaskSpec;
  /** The node the candidate improves on (the task's best node so far). */
  parent: StoredNode;
  systemPrompt: string;
  iteration: number;
  phase: NodePhase;
  candidateIndex: number;
  /** Distinguishes the seeds of different loops (inner loop, adaptation of one system prompt...). */
  scope: string;
}

interface SystemCandidateSpec {
  current: StoredNode;
  /** Per task, the best node under the current system prompt. */
  bestPerTask: ReadonlyArray<{ task: TaskSpec; node: StoredNode }>;
  iteration: number;
  candidateIndex: number;
}

export type UserCandidateGenerator = (ctx: RunContext, spec: UserCandidateSpec) => Promise<NodeDraft>;
export type SystemCandidateGenerator = (ctx: RunContext, spec: SystemCandidateSpec) => Promise<NodeDraft>;

const newStats = (): OptimizerCallStats => ({ optimizerCalls: 0, optimizerRetries: 0, cachedCalls: 0 });

function userSample(kind: string, spec: UserCandidateSpec): OptimizerSample {
  return {
    site: [kind, spec.scope, spec.iteration, spec.task.id],
    candidateIndex: spec.candidateIndex,
    // A meta-test's samples depend on its task, seed and compared prompt, not on its linked run.
    shared: isMetaTestStep(`${spec.scope}/`),
  };
}

const systemSample = (kind: string, spec: SystemCandidateSpec): OptimizerSample => ({
  site: [kind, spec.iteration],
  candidateIndex: spec.candidateIndex,
});

const droppedReasonOf = (outcome: OptimizerOutcome): string | null => (outcome.ok ? null : outcome.reason);

function userDraft(spec: UserCandidateSpec, outcome: OptimizerOutcome, stats: OptimizerCallStats): NodeDraft {
  return nodeDraft(
    {
      parentId: spec.parent.id,
      kind: 'user',
      taskId: spec.task.id,
      systemPrompt: spec.systemPrompt,
      userPrompt: outcome.ok ? outcome.text : '',
      iteration: spec.iteration,
      phase: spec.phase,
      candidateIndex: spec.candidateIndex,
      ...stats,
    },
    droppedReasonOf(outcome),
  );
}

function systemDraft(
  spec: SystemCandidateSpec,
  outcome: OptimizerOutcome,
  stats: OptimizerCallStats,
): NodeDraft {
  return nodeDraft(
    {
      parentId: spec.current.id,
      kind: 'system',
      taskId: null,
      systemPrompt: outcome.ok ? outcome.text : '',
      userPrompt: '',
      iteration: spec.iteration,
      phase: 'outer',
      candidateIndex: spec.candidateIndex,
      ...stats,
    },
    droppedReasonOf(outcome),
  );
}

/** Failure analysis, then a rewrite (MetaSPO's inner loop and ProTeGi's expansion). */
export const failureUserCandidate: UserCandidateGenerator = async (ctx, spec) => {
  const stats = newStats();
  const failures = await ctx.wrongExamples(
    spec.parent,
    ctx.config.wrongExamplesInner,
    ctx.seed(spec.scope, spec.iteration, spec.task.id, spec.candidateIndex),
  );
  const base = { systemPrompt: spec.systemPrompt, userPrompt: spec.parent.userPrompt, failures };
  const analyse = userAnalysisRequest(metaPromptsOf(ctx.config), base);
  const sample = userSample('failure', spec);
  const analysis = await ctx.optimizerReply(analyse.messages, analyse.replyTag, sample, stats);
  if (!analysis.ok) return userDraft(spec, analysis, stats);
  const write = userRewriteRequest(metaPromptsOf(ctx.config), { ...base, analysis: analysis.text });
  const rewrite = await ctx.optimizerReply(write.messages, write.replyTag, sample, stats, placeholderProblem);
  return userDraft(spec, rewrite, stats);
};

async function demonstrations(
  ctx: RunContext,
  task: TaskSpec,
  k: number,
  seed: number,
): Promise<Demonstration[]> {
  const examples = await ctx.trainExamples(task.id);
  return sampleWithoutReplacement(examples, k, createRng(seed)).map((e) => ({
    question: e.question,
    answer: e.answer,
  }));
}

/** The opening of a question slot: `<Question>` (the reference's wrapper) or a `Question:` label. */
const SLOT_OPENING = /(?:<question>\s*|question:\s*)$/i;

/** Where the question slot of `prompt` starts (its wrapper or label), or -1 without `{question}`. */
function questionSlotStart(prompt: string): number {
  const at = prompt.indexOf('{question}');
  if (at < 0) return -1;
  const opening = SLOT_OPENING.exec(prompt.slice(0, at));
  return opening ? opening.index : at;
}

/**
 * The part of a task's initial prompt from its question slot on, wrapper included: the
 * reference's `suffix_prompt`, e.g. `<Question>{question}</Question>` and the answer format.
 */
export function answerSuffix(task: TaskSpec): string {
  return task.initialUserPrompt.slice(Math.max(0, questionSlotStart(task.initialUserPrompt)));
}

/**
 * The instruction of an APE reply: what comes before any question slot it wrote itself, since
 * the slot and answer format are the task's own suffix (a model asked for an instruction may
 * still write a whole prompt).
 */
export function instructionPart(reply: string): string {
  const slot = questionSlotStart(reply);
  return (slot < 0 ? reply : reply.slice(0, slot)).trim();
}

/** An APE user prompt as the reference builds it: the instruction, then the task's suffix. */
export function apeUserPrompt(reply: string, task: TaskSpec): string {
  return `${instructionPart(reply)}${answerSuffix(task)}`;
}

const instructionProblem = (reply: string): string | null =>
  instructionPart(reply) === '' ? 'reply has no instruction before the question' : null;

const withTaskSuffix = (outcome: OptimizerOutcome, task: TaskSpec): OptimizerOutcome =>
  outcome.ok ? { ok: true, text: apeUserPrompt(outcome.text, task) } : outcome;

/** APE: an instruction inferred from input/output pairs, followed by the task's suffix. */
export const apeUserCandidate: UserCandidateGenerator = async (ctx, spec) => {
  const stats = newStats();
  const demos = await demonstrations(
    ctx,
    spec.task,
    APE_USER_DEMOS,
    ctx.seed(spec.scope, 'ape', spec.iteration, spec.task.id, spec.candidateIndex),
  );
  const propose = apeProposalRequest(metaPromptsOf(ctx.config), { demonstrations: demos, target: 'user' });
  const outcome = await ctx.optimizerReply(
    propose.messages,
    propose.replyTag,
    userSample('ape', spec),
    stats,
    instructionProblem,
  );
  return userDraft(spec, withTaskSuffix(outcome, spec.task), stats);
};

/**
 * APE's resampling: a paraphrase of the parent's user prompt. The reference asks the model to
 * keep `<Question>{question}</Question>`; here the paraphrased instruction gets the task's
 * suffix back, so the slot and the answer format cannot be lost or doubled.
 */
export const apeResampleCandidate: UserCandidateGenerator = async (ctx, spec) => {
  const stats = newStats();
  const resample = apeResampleRequest(metaPromptsOf(ctx.config), { userPrompt: spec.parent.userPrompt });
  const outcome = await ctx.optimizerReply(
    resample.messages,
    resample.replyTag,
    userSample('ape-resample', spec),
    stats,
    instructionProblem,
  );
  return userDraft(spec, withTaskSuffix(outcome, spec.task), stats);
};

/** MetaSPO's outer loop: analysis of failures sampled across all tasks, then a rewrite. */
export const failureSystemCandidate: SystemCandidateGenerator = async (ctx, spec) => {
  const stats = newStats();
  const perTask: WrongExample[][] = await Promise.all(
    spec.bestPerTask.map(({ task, node }) =>
      ctx.wrongExamples(
        node,
        ctx.config.wrongExamplesPerTask,
        ctx.seed('outer', spec.iteration, task.id, spec.candidateIndex),
      ),
    ),
  );
  const failures = shuffled(
    perTask.flat(),
    createRng(ctx.seed('outer-mix', spec.iteration, spec.candidateIndex)),
  );
  const systemPrompt = spec.current.systemPrompt;
  const analyse = systemAnalysisRequest(metaPromptsOf(ctx.config), { systemPrompt, failures });
  const sample = systemSample('failure', spec);
  const analysis = await ctx.optimizerReply(analyse.messages, analyse.replyTag, sample, stats);
  if (!analysis.ok) return systemDraft(spec, analysis, stats);
  const write = systemRewriteRequest(metaPromptsOf(ctx.config), { systemPrompt, analysis: analysis.text });
  const rewrite = await ctx.optimizerReply(write.messages, write.replyTag, sample, stats);
  return systemDraft(spec, rewrite, stats);
};

/** MetaSPO-APE's outer loop: a system prompt inferred from demonstrations of every task. */
export const apeSystemCandidate: SystemCandidateGenerator = async (ctx, spec) => {
  const stats = newStats();
  const perTask = await Promise.all(
    spec.bestPerTask.map(({ task }) =>
      demonstrations(
        ctx,
        task,
        APE_SYSTEM_DEMOS_PER_TASK,
        ctx.seed('outer-ape', spec.iteration, task.id, spec.candidateIndex),
      ),
    ),
  );
  const demos = shuffled(
    perTask.flat(),
    createRng(ctx.seed('outer-ape-mix', spec.iteration, spec.candidateIndex)),
  );
  const propose = apeProposalRequest(metaPromptsOf(ctx.config), { demonstrations: demos, target: 'system' });
  const outcome = await ctx.optimizerReply(
    propose.messages,
    propose.replyTag,
    systemSample('ape', spec),
    stats,
  );
  return systemDraft(spec, outcome, stats);
};
