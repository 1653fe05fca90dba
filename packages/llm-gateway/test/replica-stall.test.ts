import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { type SimServer, startSimServer } from '@metaspo/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDatabaseFile } from './helpers.js';
import { poolConfig, poolGateway, REPLICA_ANSWER_KEY, replicaRequests, textsOf } from './replica-support.js';

/** A server that takes every request and never answers: a stalled inference server. */
async function startStalledServer() {
  let requests = 0;
  const server = http.createServer(() => {
    requests += 1;
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}/v1`,
    get requests() {
      return requests;
    },
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
}

const closers: Array<() => Promise<void>> = [];
afterEach(async () => {
  for (const close of closers.splice(0)) await close();
});

describe('a replica whose calls hang', () => {
  it('is taken out after consecutive timed-out calls, and the calls end on the other replica', async () => {
    const stalled = await startStalledServer();
    closers.push(stalled.close);
    const healthy: SimServer = await startSimServer({ malformedRate: 0, answerKey: REPLICA_ANSWER_KEY });
    closers.push(() => healthy.close());
    const base = poolConfig({ replicas: [stalled.url, `${healthy.url}/v1`], concurrency: 2 });
    const config = { ...base, timeoutMs: 150, retries: { ...base.retries, timeoutRetries: 3 } };
    const service = poolGateway(tempDatabaseFile(), config);
    closers.push(() => service.close());

    // One at a time, so ties go round in turn: every other call meets the stalled replica first.
    const requests = replicaRequests(12, 'stall');
    const texts: string[] = [];
    for (const request of requests) texts.push((await service.complete(request)).text);
    // Out after 3 timeouts in a row; left in rotation it would take every other call.
    expect(stalled.requests).toBe(3);
    expect(healthy.stats().requests).toBe(12);
    const pool = (await service.checkProviders()).providers.find((p) => p.endpoint === 'pool')!;
    expect(pool.detail).toMatch(/^1 of 2 replicas ready: /);
    expect(pool.detail).toContain('out of rotation after timeout');

    const alone = poolGateway(tempDatabaseFile(), poolConfig({ baseUrl: `${healthy.url}/v1` }));
    closers.push(() => alone.close());
    expect(texts).toEqual(textsOf(await alone.completeBatch(requests)));
  });
});
