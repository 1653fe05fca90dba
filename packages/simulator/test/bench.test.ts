import { describe, expect, it } from 'vitest';
import { benchSimServer, SIM_SERVER_TARGET_RPS } from '../src/index.js';

describe('server benchmark', () => {
  it('drives every request to the server and reports throughput against the target', async () => {
    const result = await benchSimServer({ requests: 300, concurrency: 8 });
    expect(result).toMatchObject({ requests: 300, concurrency: 8, failures: 0, serverAnswered: 300 });
    expect(result.targetRps).toBe(SIM_SERVER_TARGET_RPS);
    expect(result.requestsPerSecond).toBeGreaterThan(0);
    expect(result.bareHttpRequestsPerSecond).toBeGreaterThan(0);
    expect(result.p50Ms).toBeLessThanOrEqual(result.p99Ms);
    expect(result.pass).toBe(result.requestsPerSecond >= SIM_SERVER_TARGET_RPS);
  });
});
