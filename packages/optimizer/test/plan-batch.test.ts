import { type ModelPrice, type RunConfig, RunConfigSchema } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { roundSizes } from '../src/engine/racing-schedule.js';
import type { GridCell } from '../src/experiments/grid.js';
import { batchWaves, rowExecution } from '../src/experiments/plan-batch.js';

const cellOf = (config: Record<string, unknown>, kind: GridCell['kind'] = 'train'): GridCell => {
  const parsed: RunConfig = RunConfigSchema.parse({ metaTrainTasks: ['t1', 't2'], ...config });
  return {
    key: `d/s42/${kind}`,
    kind,
    domain: { name: 'd', metaTrainTasks: ['t1', 't2'], metaTestTasks: ['t3'] },
    seed: 42,
    method: parsed.method,
    config: parsed,
  };
};
const price = (batchApi: boolean): ModelPrice => ({
  model: 'openai:gpt-4o-mini',
  price: { input: 0.15, output: 0.6 },
  batchPrice: { input: 0.075, output: 0.3 },
  batchApi,
});

describe('which plan rows go batch', () => {
  it('batch: the base rows of a batch cell on a model with a batch API; optimizer rows never', () => {
    const batch = cellOf({ execution: 'batch' });
    expect(rowExecution(batch, 'base', price(true))).toBe('batch');
    expect(rowExecution(batch, 'optimizer', price(true))).toBe('live');
    expect(rowExecution(batch, 'base', price(false))).toBe('live');
    // A gateway without `prices`: the config is taken at its word.
    expect(rowExecution(batch, 'base', undefined)).toBe('batch');
    expect(rowExecution(cellOf({}), 'base', price(true))).toBe('live');
  });
});

describe('the waves of batches a phase waits on', () => {
  it('bilevel: the initial scoring, then per iteration the inner and the outer loop', () => {
    expect(batchWaves(cellOf({ method: 'metaspo', iterations: 3 }), 'meta-train')).toBe(1 + 3 * 2);
    expect(batchWaves(cellOf({ method: 'metaspo-ape', iterations: 2 }), 'meta-train')).toBe(1 + 2 * 2);
    // The ablation has no inner loop and doubles the iterations.
    expect(batchWaves(cellOf({ method: 'outer-loop', iterations: 2 }), 'meta-train')).toBe(1 + 4);
    expect(batchWaves(cellOf({ method: 'metaspo', iterations: 2 }), 'meta-train-test')).toBe(1);
  });

  it('a raced outer loop waits once per round of the race', () => {
    const raced = cellOf({ method: 'metaspo', iterations: 2, trainSize: 40, selection: 'racing' });
    const rounds = roundSizes(40).length;
    expect(rounds).toBeGreaterThan(1);
    expect(batchWaves(raced, 'meta-train')).toBe(1 + 2 * (1 + rounds));
  });

  it('a raced inner loop too; the outer-loop ablation has no inner loop to race', () => {
    const rounds = roundSizes(40).length;
    const both = { iterations: 2, trainSize: 40, selection: 'racing', userSelection: 'racing' };
    expect(batchWaves(cellOf({ method: 'metaspo', ...both }), 'meta-train')).toBe(1 + 2 * (rounds + rounds));
    const innerOnly = { iterations: 2, trainSize: 40, userSelection: 'racing' };
    expect(batchWaves(cellOf({ method: 'metaspo', ...innerOnly }), 'meta-train')).toBe(1 + 2 * (rounds + 1));
    expect(batchWaves(cellOf({ method: 'outer-loop', ...innerOnly }), 'meta-train')).toBe(1 + 4);
  });

  it('SPRIG one per iteration after the empty prompt; ProTeGi its root, levels and the tests', () => {
    expect(batchWaves(cellOf({ method: 'sprig', iterations: 4 }), 'meta-train')).toBe(5);
    const protegi = cellOf({ method: 'protegi', adaptIterations: 2 });
    expect(batchWaves(protegi, 'meta-train')).toBe(1 + 3);
    expect(batchWaves(cellOf({ adaptIterations: 2 }, 'adapt'), 'adapt')).toBe(1 + 3 + 1);
    expect(batchWaves(cellOf({}, 'unseen'), 'unseen')).toBe(1);
  });

  it('raced ProTeGi levels wait once per round, in a protegi run and in every adaptation meta-test', () => {
    const rounds = roundSizes(40).length;
    const raced = { adaptIterations: 2, trainSize: 40, userSelection: 'racing' };
    expect(batchWaves(cellOf({ method: 'protegi', ...raced }), 'meta-train')).toBe(1 + 3 * rounds);
    // An adaptation meta-test runs ProTeGi whatever the method of the run it follows.
    expect(batchWaves(cellOf({ method: 'sprig', ...raced }, 'adapt'), 'adapt')).toBe(1 + 3 * rounds + 1);
  });
});
