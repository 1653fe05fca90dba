import type {
  CompletionRequestInput,
  EvaluationRequestInput,
  LlmClient,
  NodePhase,
  RunConfigInput,
} from '@metaspo/schemas';
import { RunConfigSchema, ZERO_USAGE } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import {
  type EngineClients,
  type OptimizerSample,
  RunContext,
  SAMPLES_PER_SITE,
} from '../src/engine/context.js';
import { nodeDraft } from '../src/engine/nodes.js';
import { memoryStepStore } from '../src/engine/step-store.js';
import { scriptedTask } from './fixtures/scripted-clients.js';

const MESSAGES = [{ role: 'user' as const, content: 'the same meta-prompt <analysis></analysis>' }];
const TASKS = ['task_a', 'task_b'];

const unused = async (): Promise<never> => {
  throw new Error('not used by these tests');
};

/** A context whose optimizer replies carry their tag (or not, to force retries) and whose evaluator records requests. */
function recordingContext(config: Partial<RunConfigInput>, malformedFirst = false) {
  const sent: CompletionRequestInput[] = [];
  const evaluated: EvaluationRequestInput[] = [];
  const llm: LlmClient = {
    complete: {
      mutate: async (input) => {
        sent.push(input);
        const broken = malformedFirst && sent.length === 1;
        return {
          callId: `call-${sent.length}`,
          model: input.model,
          text: broken ? 'no tag' : '<analysis>fine</analysis>',
          usage: ZERO_USAGE,
          finishReason: 'stop',
          cached: false,
          latencyMs: 0,
          costUsd: 0,
        };
      },
    },
    completeBatch: { mutate: unused },
    budgets: { set: { mutate: unused } },
    cancelRun: { mutate: unused },
    usage: { query: unused },
  };
  const evaluator: EngineClients['evaluator'] = {
    evaluate: {
      mutate: async (input) => {
        evaluated.push(input);
        return {
          id: `evaluation-${evaluated.length}`,
          taskId: input.taskId,
          split: input.split ?? 'train',
          model: input.model,
          metric: 'exact-match',
          score: 0.5,
          correct: 1,
          n: 2,
          usage: ZERO_USAGE,
          calls: 2,
          cachedCalls: 0,
          systemPrompt: input.systemPrompt,
          userPrompt: input.userPrompt,
          scoring: 'strict',
          formatFailures: 0,
          createdAt: '2026-01-01T00:00:00.000Z',
          items: [],
        };
      },
    },
    evaluateMany: { mutate: async () => [] },
    wrongExamples: { query: async () => [] },
    outcomes: { query: async () => [] },
  };
  const parsed = RunConfigSchema.parse({ metaTrainTasks: TASKS, metaTestTasks: TASKS, ...config });
  const datasets: EngineClients['datasets'] = {
    tasks: { get: { query: unused }, list: { query: unused } },
    domains: { get: { query: unused } },
    sample: { query: unused },
    answerKey: { query: unused },
    protocol: {
      systemPrompts: { query: unused },
      unseenUserPrompts: { query: unused },
      componentCorpus: { query: unused },
    },
  };
  const clients: EngineClients = { llm, evaluator, datasets };
  const ctx = new RunContext(
    'run-1',
    parsed,
    (Array.isArray(parsed.metaTrainTasks) ? parsed.metaTrainTasks : TASKS).map(scriptedTask),
    clients,
    memoryStepStore('run-1'),
    new AbortController().signal,
    0,
  );
  return { ctx, sent, evaluated };
}

async function sampleIndexOf(config: Partial<RunConfigInput>, sample: OptimizerSample): Promise<number> {
  const { ctx, sent } = recordingContext(config);
  const stats = { optimizerCalls: 0, optimizerRetries: 0, cachedCalls: 0 };
  await ctx.optimizerReply(MESSAGES, 'analysis', sample, stats);
  return sent[0]?.sampleIndex ?? -1;
}

async function evaluationIndexOf(
  config: Partial<RunConfigInput>,
  stepKey: string,
  phase: NodePhase,
  split: 'train' | 'test',
): Promise<number> {
  const { ctx, evaluated } = recordingContext(config);
  const node = await ctx.ensureNode(stepKey, async () =>
    nodeDraft({
      parentId: null,
      kind: 'user',
      taskId: 'task_a',
      systemPrompt: 'the same system prompt',
      userPrompt: 'the same user prompt {question}',
      iteration: 1,
      phase,
      candidateIndex: 0,
    }),
  );
  await ctx.evaluate(node, split);
  return evaluated[0]?.sampleIndex ?? -1;
}

describe('sample indexes: one cache entry per sample, replayed by the same run', () => {
  const site = { site: ['failure', 'inner', 1, 'task_a'], candidateIndex: 2 };

  it('gives two methods, seeds or task sets sending the same optimizer messages two samples', async () => {
    const metaspo = await sampleIndexOf({ method: 'metaspo' }, site);
    expect(await sampleIndexOf({ method: 'metaspo' }, site)).toBe(metaspo);
    expect(await sampleIndexOf({ method: 'outer-loop' }, site)).not.toBe(metaspo);
    expect(await sampleIndexOf({ method: 'metaspo', seed: 7 }, site)).not.toBe(metaspo);
    expect(await sampleIndexOf({ method: 'metaspo', metaTrainTasks: ['task_b', 'task_a'] }, site)).not.toBe(
      metaspo,
    );
    expect(
      await sampleIndexOf({ method: 'metaspo' }, { ...site, site: ['failure', 'inner', 2, 'task_a'] }),
    ).not.toBe(metaspo);
    // The candidate index and its attempts stay in the low digits of the site's span.
    const attempts = RunConfigSchema.parse({ metaTrainTasks: TASKS }).maxMalformedRetries + 1;
    expect(metaspo % SAMPLES_PER_SITE).toBe(2 * attempts);
  });

  it("shares a meta-test's site across the runs it may be linked to", async () => {
    const shared = { ...site, site: ['failure', 'adapt/task_a/s0', 1, 'task_a'], shared: true };
    expect(await sampleIndexOf({ method: 'sprig' }, shared)).toBe(
      await sampleIndexOf({ method: 'metaspo' }, shared),
    );
  });

  it('retries a malformed reply as the next sample of the same site', async () => {
    const { ctx, sent } = recordingContext({}, true);
    const stats = { optimizerCalls: 0, optimizerRetries: 0, cachedCalls: 0 };
    const outcome = await ctx.optimizerReply(MESSAGES, 'analysis', site, stats);
    expect(outcome).toEqual({ ok: true, text: 'fine' });
    expect(sent.map((r) => r.sampleIndex)).toEqual([sent[0]?.sampleIndex, (sent[0]?.sampleIndex ?? 0) + 1]);
    expect(stats).toEqual({ optimizerCalls: 1, optimizerRetries: 1, cachedCalls: 0 });
  });

  it('shares evaluations of given prompts by text and gives every other evaluation its node', async () => {
    // A run's initial pair on train: the same request in every method's run.
    expect(await evaluationIndexOf({ method: 'metaspo' }, 'i0/initial/task_a', 'initial', 'train')).toBe(0);
    expect(await evaluationIndexOf({ method: 'outer-loop' }, 'i0/initial/task_a', 'initial', 'train')).toBe(
      0,
    );
    // Its test, and any generated candidate, belong to the run's node: two runs pay for each.
    const test = await evaluationIndexOf({ method: 'metaspo' }, 'i0/initial/task_a', 'initial', 'test');
    expect(test).toBeGreaterThan(0);
    expect(
      await evaluationIndexOf({ method: 'outer-loop' }, 'i0/initial/task_a', 'initial', 'test'),
    ).not.toBe(test);
    const candidate = await evaluationIndexOf({ method: 'metaspo' }, 'i1/inner/task_a/c0', 'inner', 'train');
    expect(candidate).toBeGreaterThan(0);
    expect(await evaluationIndexOf({ method: 'metaspo' }, 'i1/inner/task_a/c1', 'inner', 'train')).not.toBe(
      candidate,
    );
    expect(await evaluationIndexOf({ method: 'metaspo' }, 'i1/inner/task_a/c0', 'inner', 'train')).toBe(
      candidate,
    );
    // A meta-test's compared prompts and roots are shared; its candidates are its own, whatever the linked run.
    expect(await evaluationIndexOf({ method: 'sprig' }, 'unseen/task_a/s0/u0', 'unseen', 'test')).toBe(0);
    expect(
      await evaluationIndexOf({ method: 'sprig' }, 'adapt/task_a/s0/i0/initial', 'initial', 'test'),
    ).toBe(0);
    const adapted = await evaluationIndexOf({ method: 'sprig' }, 'adapt/task_a/s0/i1/c0', 'adapt', 'test');
    expect(adapted).toBeGreaterThan(0);
    expect(await evaluationIndexOf({ method: 'metaspo' }, 'adapt/task_a/s0/i1/c0', 'adapt', 'test')).toBe(
      adapted,
    );
  });
});
