import { RunConfigSchema, type RunRecord } from '@metaspo/schemas';
import { describe, expect, it } from 'vitest';
import { progressLine } from '../src/commands/run-progress.js';
import { requestsLine, runSummary, runTextLines } from '../src/commands/run-text.js';
import { count, counted, percent, usd } from '../src/numbers.js';

describe('numbers in CLI text', () => {
  it('writes scores as percentages and counts with separators and units', () => {
    expect(percent(0.842)).toBe('84.2%');
    expect(percent(1)).toBe('100.0%');
    expect(percent(null)).toBe('-');
    expect(count(24326)).toBe('24,326');
    expect(counted(1, 'request')).toBe('1 request');
    expect(counted(27534, 'call')).toBe('27,534 calls');
    expect(usd(null)).toBe('unknown (no price configured)');
    expect(usd(0.12345)).toBe('$0.1235');
    expect(usd(0, true)).toBe('$0 (simulator, free)');
  });

  it('names the requests of a run by what asked for them', () => {
    expect(
      requestsLine({ baseTrain: 18200, baseTest: 6000, optimizer: 126, optimizerRetries: 2, cached: 500 }),
    ).toBe(
      'requests: 24,326 = base model 18,200 on train + 6,000 on test + optimizer 126; calls: 24,328 (2 malformed optimizer replies asked again), 500 served from the cache',
    );
    expect(
      requestsLine({
        baseTrain: 1,
        baseTest: 1,
        optimizer: 1,
        optimizerRetries: 0,
        cached: 0,
        failedItems: 1,
      }),
    ).toMatch(/; 1 failed item counted wrong$/);
  });

  it('draws progress with units and an ETA from the rate since the (re)start', () => {
    const progress = {
      phase: 'outer',
      iteration: 1,
      taskId: null,
      requestsDone: 600,
      requestsTotal: 1600,
      costUsd: null,
    };
    expect(progressLine(progress, null, 0)).toBe(
      'outer iteration 1  600/1,600 requests  cost unknown  ETA not yet known',
    );
    // 500 requests in 10 s: 1,000 left take 20 s.
    expect(progressLine(progress, null, 0, true)).toBe(
      'outer iteration 1  600/1,600 requests  $0 (simulator)  ETA not yet known',
    );
    expect(progressLine(progress, { done: 100, atMs: 0 }, 10_000)).toBe(
      'outer iteration 1  600/1,600 requests  cost unknown  ETA 20s',
    );
  });
});

describe('a run in text and JSON', () => {
  const run: RunRecord = {
    id: 'run_1',
    name: null,
    status: 'completed',
    config: RunConfigSchema.parse({ metaTrainTasks: ['proc_navigation'] }),
    metaPrompts: { name: 'builtin', version: '2', hash: 'abc', source: 'builtin' },
    simulated: true,
    createdAt: '2026-01-01T00:00:00.000Z',
    startedAt: null,
    finishedAt: null,
    error: null,
    progress: null,
    result: {
      optimizedSystemPrompt: 'Be careful.',
      scores: { initial: 0.65, final: 0.8375, test: 0.767 },
      calls: { baseTrain: 500, baseTest: 120, optimizer: 36, optimizerRetries: 3, cached: 0 },
      costUsd: 0,
    },
  };

  it('labels every score with its scoring, every simulated one as simulated, and names the split', () => {
    const lines = runTextLines(run);
    expect(lines[1]).toBe(
      'meta-train tasks, train split: initial 65.0% (strict, simulated)  final 83.8% (strict, simulated)',
    );
    expect(lines[2]).toBe(
      'meta-train tasks, test split (held-out examples, optimized prompt): 76.7% (strict, simulated)',
    );
    const lenient = { ...run, simulated: false, config: { ...run.config, scoring: 'lenient' as const } };
    expect(runTextLines(lenient)[1]).toBe(
      'meta-train tasks, train split: initial 65.0% (lenient)  final 83.8% (lenient)',
    );
    expect(lines).toContain('cost: $0 (simulator, free)');
  });

  it('keeps fractions in JSON', () => {
    expect(runSummary(run)).toMatchObject({
      scores: { initial: 0.65, final: 0.8375 },
      scoring: 'strict',
      simulated: true,
    });
  });
});
