import type { IterationSnapshot } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
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
    expect(decision).toMatchObject({ accepted: false, candidateScore: 0.5, currentScore: 0.5 });
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
    expect(decision).toMatchObject({ accepted: true, candidateScore: 0.7, currentScore: 0.5 });
    expect(decision?.systemPrompt).toBe('system prompt c0');
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
