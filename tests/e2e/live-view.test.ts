import path from 'node:path';
import { runLiveBench, summariseLatencies } from '@metaspo/platform/bench';
import { afterAll, describe, expect, it } from 'vitest';
import { type ServeProcess, startServeProcess, tempDir } from '../support/cli-process.js';

describe('summariseLatencies', () => {
  it('reads nearest-rank percentiles from unsorted samples', () => {
    const latencies = Array.from({ length: 200 }, (_, i) => 200 - i);
    expect(summariseLatencies(latencies)).toEqual({
      samples: 200,
      p50Ms: 100,
      p95Ms: 190,
      p99Ms: 198,
      maxMs: 200,
    });
    expect(summariseLatencies([])).toEqual({ samples: 0, p50Ms: 0, p95Ms: 0, p99Ms: 0, maxMs: 0 });
  });
});

describe('a sim:default run in metaspo serve', () => {
  let server: ServeProcess | undefined;
  afterAll(async () => {
    await server?.stop('SIGKILL');
  });

  it('answers runs.get while the run executes, with its progress moving', async () => {
    server = await startServeProcess(['--data-dir', path.join(tempDir('live-view'), 'data')]);
    // The small config (train 10, test 50): before the simulator yielded, no poll of this run
    // was answered until it had ended.
    const result = await runLiveBench({ url: server.url, quick: true, pollMs: 50 });
    expect(result.runStatus).toBe('completed');
    expect(result.runsGet.samples).toBeGreaterThan(0);
    expect(result.answeredWhileRunning).toBeGreaterThanOrEqual(2);
    expect(result.progressStepsSeen).toBeGreaterThanOrEqual(2);
    expect(await server.stop()).toBe(0);
  }, 120_000);
});
