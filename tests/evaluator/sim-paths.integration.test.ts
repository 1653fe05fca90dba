import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { MIXED_TASK_IDS, type RealStack, startRealStack } from './support/real-stack.js';

/**
 * Must show: the HTTP `openai:` provider path against the loopback simulator server and the
 * in-process `sim:` provider give identical scores and items, with the real datasets,
 * gateway and evaluator services.
 */
let stack: RealStack;
beforeAll(async () => {
  stack = await startRealStack();
});
afterAll(async () => {
  await stack?.close();
});

const PAIR = {
  systemPrompt: 'You are a careful assistant. Think step by step.',
  userPrompt: '{question}\nGive the final answer inside <answer></answer>.',
  split: 'test' as const,
  n: 40,
  seed: 42,
};

describe('openai: over HTTP and in-process sim: agree', () => {
  it.each(MIXED_TASK_IDS)('gives identical scores and items on %s', async (taskId) => {
    const [viaSim, viaHttp] = await stack.evaluator.evaluateMany.mutate({
      requests: [
        { ...PAIR, taskId, model: 'sim:default' },
        { ...PAIR, taskId, model: 'openai:default' },
      ],
    });
    expect(viaSim!.n).toBe(40);
    expect(viaHttp!.items).toEqual(viaSim!.items);
    expect(viaHttp!.score).toBe(viaSim!.score);
    expect(viaHttp!.correct).toBe(viaSim!.correct);
    // The simulated model is neither always right nor always wrong, so agreement means something.
    expect(viaSim!.correct).toBeGreaterThan(0);
    expect(viaSim!.correct).toBeLessThan(40);
    expect(viaSim!.items.every((item) => item.error === undefined)).toBe(true);
  });

  it('really sent the openai: calls over HTTP', () => {
    expect(stack.sim.stats().requests).toBeGreaterThanOrEqual(MIXED_TASK_IDS.length * 40);
  });

  it('scores the stored evaluation and samples its failures for feedback', async () => {
    const result = await stack.evaluator.evaluate.mutate({
      ...PAIR,
      taskId: MIXED_TASK_IDS[0]!,
      model: 'sim:default',
    });
    expect(result.cachedCalls).toBe(40);
    const wrong = await stack.evaluator.wrongExamples.query({ evaluationId: result.id, k: 3, seed: 5 });
    expect(wrong.length).toBe(Math.min(3, result.n - result.correct));
    for (const example of wrong) expect(example.prompt).toContain(example.question);
  });
});
