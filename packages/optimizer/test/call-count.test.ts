import { RunConfigSchema } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
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
});
