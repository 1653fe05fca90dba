import { describe, expect, it } from 'vitest';
import { benchSimServer, SIM_SERVER_TARGET_RPS } from '../src/bench.js';

describe('server benchmark', () => {
  it('drives every request to the server and reports throughput consistent with what it measured', async () => {
    const requests = 300;
    const concurrency = 8;
    const started = performance.now();
    const result = await benchSimServer({ requests, concurrency });
    const elapsedMs = performance.now() - started;
    // The server's own count: every request reached it and none failed.
    expect(result).toMatchObject({ requests, concurrency, failures: 0, serverAnswered: requests });
    expect(result.targetRps).toBe(SIM_SERVER_TARGET_RPS);

    // Bounds from this test's clock and from the latencies, not from the bench's own formula.
    expect(result.durationMs).toBeGreaterThan(0);
    expect(result.durationMs).toBeLessThanOrEqual(Math.ceil(elapsedMs));
    expect(result.requestsPerSecond).toBeGreaterThanOrEqual(Math.floor(requests / (elapsedMs / 1000)));
    expect(result.p50Ms).toBeGreaterThan(0);
    expect(result.p50Ms).toBeLessThanOrEqual(result.p99Ms);
    expect(result.p99Ms).toBeLessThanOrEqual(result.durationMs);
    // Little's law: `concurrency` clients can finish at most concurrency / latency requests a
    // second, and at least half the requests took p50 or longer.
    expect(result.requestsPerSecond).toBeLessThanOrEqual((2 * concurrency * 1000) / result.p50Ms);
    expect(result.bareHttpRequestsPerSecond).toBeGreaterThan(0);
    if (result.pass) expect(result.requestsPerSecond).toBeGreaterThanOrEqual(SIM_SERVER_TARGET_RPS);
    else expect(result.requestsPerSecond).toBeLessThan(SIM_SERVER_TARGET_RPS);
  });
});
