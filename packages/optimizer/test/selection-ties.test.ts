import type { IterationSnapshot } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { mean, rankByTrainScore } from '../src/engine/nodes.js';
import type { SystemDecision } from '../src/methods/bilevel.js';
import { runScripted } from './fixtures/scripted-clients.js';

const TASKS = ['proc_tie_a', 'proc_tie_b'];
const base = {
  metaTrainTasks: TASKS,
  numSystemCandidates: 3,
  numUserCandidates: 3,
  userTopK: 3,
  trainSize: 4,
  testSize: 4,
  maxMalformedRetries: 0,
};

/** The candidate index the scripted optimizer wrote into a prompt (`... c<k> ...`), or null. */
const candidateOf = (prompt: string): number | null => {
  const match = /\bc(\d+)\b/.exec(prompt);
  return match ? Number(match[1]) : null;
};

describe('greedy acceptance of a system prompt needs a strictly higher mean', () => {
  it('keeps the current system prompt when every candidate ties its mean', async () => {
    const { result, steps, config } = await runScripted(
      { ...base, method: 'outer-loop', iterations: 1 },
      () => 0.5,
    );
    const decision = steps.getStep<SystemDecision>('decision:i001');
    expect(decision).toMatchObject({
      accepted: false,
      candidateNodeId: null,
      candidateScore: 0.5,
      currentScore: 0.5,
    });
    expect(result.optimizedSystemPrompt).toBe(config.initialSystemPrompt);
  });

  it('in candidate order, a tie with the best so far keeps the earlier candidate; a higher mean replaces it', async () => {
    // Candidate 0 and 1 both score 0.7, candidate 2 scores 0.6: candidate 0 must win.
    const bySystem: Record<number, number> = { 0: 0.7, 1: 0.7, 2: 0.6 };
    const { steps } = await runScripted(
      { ...base, method: 'outer-loop', iterations: 1 },
      ({ systemPrompt }) => {
        const candidate = candidateOf(systemPrompt);
        return candidate === null ? 0.5 : (bySystem[candidate] ?? 0);
      },
    );
    const decision = steps.getStep<SystemDecision>('decision:i001');
    expect(decision).toMatchObject({
      accepted: true,
      candidateNodeId: 'scripted-run:i1/outer/c0',
      candidateScore: 0.7,
      currentScore: 0.5,
      systemPrompt: 'system prompt c0',
    });
    // Each candidate is scored on a system-kind pair per kept user prompt, in the outer phase.
    const pair = steps.findNode(`i1/outer/c1/${TASKS[0]}/u0`);
    expect(pair).toMatchObject({ kind: 'system', phase: 'outer', systemPrompt: 'system prompt c1' });
    expect(steps.getStep('phase:outer:1')).toEqual({ phase: 'outer', iteration: 1 });
  });

  it('never accepts a dropped candidate, whatever its empty prompt would score', async () => {
    const { steps } = await runScripted(
      { ...base, method: 'outer-loop', iterations: 1 },
      ({ systemPrompt }) => (systemPrompt === '' ? 0.9 : candidateOf(systemPrompt) === 1 ? 0.6 : 0.5),
      { system: [0] },
    );
    expect(steps.findNode('i1/outer/c0')?.droppedReason).toMatch(/no <system_prompt> tag/);
    expect(steps.getStep<SystemDecision>('decision:i001')).toMatchObject({
      accepted: true,
      candidateNodeId: 'scripted-run:i1/outer/c1',
      candidateScore: 0.6,
    });
  });
});

describe('the inner loop ranks ties as the reference (a stable sort: kept prompts first)', () => {
  it('keeps the parent, then the new prompts by candidate index, when all scores are equal', async () => {
    const { steps } = await runScripted({ ...base, method: 'metaspo', iterations: 1 }, () => 0.5);
    const inner = steps.getStep<IterationSnapshot>('snapshot:0001');
    expect(inner?.stage).toBe('inner');
    for (const task of inner?.tasks ?? []) {
      expect(task.nodeIds).toEqual([
        `scripted-run:i0/initial/${task.taskId}`,
        `scripted-run:i1/inner/${task.taskId}/c0`,
        `scripted-run:i1/inner/${task.taskId}/c1`,
      ]);
    }
    expect(inner?.tasks).toHaveLength(TASKS.length);
    const candidate = steps.findNode(`i1/inner/${TASKS[0]}/c0`);
    expect(candidate).toMatchObject({
      kind: 'user',
      phase: 'inner',
      userPrompt: expect.stringContaining('c0'),
    });
    expect(steps.getStep('phase:inner:1')).toEqual({ phase: 'inner', iteration: 1 });
  });

  it('leaves a dropped user prompt out of the beam even when the beam has room', async () => {
    const { steps } = await runScripted(
      { ...base, userTopK: 4, method: 'metaspo', iterations: 1 },
      () => 0.5,
      {
        user: [1],
      },
    );
    const inner = steps.getStep<IterationSnapshot>('snapshot:0001');
    for (const task of inner?.tasks ?? []) {
      expect(task.nodeIds).toEqual([
        `scripted-run:i0/initial/${task.taskId}`,
        `scripted-run:i1/inner/${task.taskId}/c0`,
        `scripted-run:i1/inner/${task.taskId}/c2`,
      ]);
    }
  });

  it('puts a strictly better new prompt ahead of the parent, ties after it in order', async () => {
    const { steps } = await runScripted({ ...base, method: 'metaspo', iterations: 1 }, ({ userPrompt }) =>
      candidateOf(userPrompt) === 2 ? 0.9 : 0.5,
    );
    const inner = steps.getStep<IterationSnapshot>('snapshot:0001');
    for (const task of inner?.tasks ?? []) {
      expect(task.nodeIds).toEqual([
        `scripted-run:i1/inner/${task.taskId}/c2`,
        `scripted-run:i0/initial/${task.taskId}`,
        `scripted-run:i1/inner/${task.taskId}/c0`,
      ]);
    }
  });
});

describe('the ranking helpers', () => {
  it('gives an empty list a mean of 0, not NaN', () => {
    expect(mean([])).toBe(0);
    expect(mean([0.25, 0.75])).toBe(0.5);
  });

  it('ranks an unscored node below every scored one, a score of 0 included', async () => {
    const { steps } = await runScripted({ ...base, method: 'outer-loop', iterations: 1 }, () => 0.5);
    const stored = steps.findNode(`i0/initial/${TASKS[0]}`);
    if (!stored) throw new Error('the scripted run stored no initial node');
    const node = (id: string, trainScore: number | null) => ({ ...stored, id, trainScore });
    expect(
      rankByTrainScore([node('unscored', null), node('zero', 0), node('half', 0.5)]).map((n) => n.id),
    ).toEqual(['half', 'zero', 'unscored']);
  });
});
