import { RunConfigSchema } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { expectedAdaptCalls } from '../src/call-count.js';
import { expectedCalls, totalRequests } from '../src/index.js';

const config = (input: Record<string, unknown>) => RunConfigSchema.parse({ metaTrainTasks: ['t'], ...input });

describe('expectedCalls', () => {
  it('matches the reference defaults for 4 tasks: 18,200 train, 6,000 test, 126 optimizer requests', () => {
    const calls = expectedCalls(config({}), 4);
    expect(calls).toEqual({
      baseTrain: 200 + 3 * (600 + 5_400),
      baseTest: 4 * 3 * 500,
      optimizer: 3 * (4 * 3 * 2 + 9 * 2),
    });
    expect(totalRequests(calls)).toBe(24_326);
  });

  it('caps the kept user prompts at the candidates generated so far', () => {
    // userTopK 4 with 2 candidates per iteration: 3 kept after iteration 1, 4 (capped) after 2.
    const calls = expectedCalls(
      config({ iterations: 2, numUserCandidates: 2, userTopK: 3, numSystemCandidates: 1 }),
      1,
    );
    expect(calls.baseTrain).toBe(50 + (100 + 3 * 50) + (100 + 3 * 50));
    expect(calls.baseTest).toBe(3 * 500);
  });

  it('doubles the iterations and keeps one user prompt per task for the outer-loop ablation', () => {
    const calls = expectedCalls(config({ method: 'outer-loop', iterations: 2 }), 4);
    expect(calls).toEqual({ baseTrain: 200 + 4 * 9 * 4 * 50, baseTest: 4 * 500, optimizer: 4 * 9 * 2 });
  });

  it('counts one optimizer request per APE candidate', () => {
    expect(expectedCalls(config({ method: 'metaspo-ape' }), 4).optimizer).toBe(3 * (4 * 3 + 9));
  });

  it('counts ProTeGi as protegi.py: 58 train evaluations and 114 optimizer requests per task', () => {
    // 1 initial + 3 (initial expansion) + 6 rounds x 3 kept x 3 candidates; 2 requests each.
    expect(expectedCalls(config({ method: 'protegi' }), 2)).toEqual({
      baseTrain: 2 * 50 * 58,
      baseTest: 2 * 500 * (1 + 7 * 3),
      optimizer: 2 * 114,
    });
  });

  it('grows the ProTeGi beam to beamSize when the expansion is narrower', () => {
    // U = 1, B = 3: beams 1, 2, 3, 3 over the initial expansion and 3 rounds.
    const calls = expectedCalls(
      config({ method: 'protegi', numUserCandidates: 1, userTopK: 1, adaptIterations: 3 }),
      1,
    );
    expect(calls.baseTrain).toBe(50 * (1 + 1 + 2 + 3 + 3));
    expect(calls.optimizer).toBe(2 * (1 + 2 + 3 + 3));
    expect(calls.baseTest).toBe(500 * (1 + 2 + 3 + 3 + 3));
  });

  it('counts APE with the reference defaults: 6 proposals, the best 3 resampled 6 times each', () => {
    expect(expectedCalls(config({ method: 'ape' }), 3)).toEqual({
      baseTrain: 3 * 50 * (1 + 6 + 3 * 6),
      baseTest: 3 * 500 * 2,
      optimizer: 3 * (6 + 3 * 6),
    });
    const capped = expectedCalls(config({ method: 'ape', apeProposals: 1, apeResamples: 2 }), 1);
    expect(capped.optimizer).toBe(1 + 2 * 2);
  });

  it('counts test-time adaptation as ProTeGi once per system prompt', () => {
    const one = expectedCalls(config({ method: 'protegi', adaptIterations: 2 }), 3);
    expect(expectedAdaptCalls(config({ adaptIterations: 2 }), 3, 4)).toEqual({
      baseTrain: 4 * one.baseTrain,
      baseTest: 4 * one.baseTest,
      optimizer: 4 * one.optimizer,
    });
  });
});
