import { GatewayConfigSchema } from '@metaspo/schemas';
import { type SimServer, startSimServer } from '@metaspo/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { replicaSetIdentity, replicaSpecsOf, replicatedLimits } from '../src/providers/replicas-plan.js';
import { tempDatabaseFile, waitFor } from './helpers.js';
import { poolConfig, poolGateway, REPLICA_ANSWER_KEY, replicaRequests, textsOf } from './replica-support.js';

const startReplica = (port = 0) =>
  startSimServer({ port, latencyMs: 3, jitterMs: 0, malformedRate: 0, answerKey: REPLICA_ANSWER_KEY });

let servers: SimServer[] = [];
let single: SimServer;
beforeAll(async () => {
  servers = await Promise.all([startReplica(), startReplica(), startReplica()]);
  single = await startReplica();
});
afterAll(async () => {
  await Promise.all([...servers, single].map((s) => s.close()));
});

const v1 = (server: SimServer) => `${server.url}/v1`;
const requestsOn = (server: SimServer) => server.stats().requests;

describe('an endpoint with replicas', () => {
  it('spreads calls over its replicas and answers as one server does', async () => {
    for (const s of [...servers, single]) s.resetStats();
    const requests = replicaRequests(600, 'spread');
    const pooled = poolGateway(
      tempDatabaseFile(),
      poolConfig({ replicas: servers.map(v1), concurrency: 24 }),
    );
    const alone = poolGateway(tempDatabaseFile(), poolConfig({ baseUrl: v1(single), concurrency: 24 }));
    try {
      const [viaPool, viaOne] = await Promise.all([
        pooled.completeBatch(requests),
        alone.completeBatch(requests),
      ]);
      expect(viaPool.every((o) => o.ok)).toBe(true);
      expect(textsOf(viaPool)).toEqual(textsOf(viaOne));
      const perReplica = servers.map(requestsOn);
      expect(perReplica.reduce((a, b) => a + b, 0)).toBe(600);
      // Fewest in flight first: none of three equal servers idles or takes most of the load.
      for (const count of perReplica) expect(count).toBeGreaterThan(120);
      expect(requestsOn(single)).toBe(600);
    } finally {
      await Promise.all([pooled.close(), alone.close()]);
    }
  });

  it('keeps its cache entries when replicas are reordered or removed', async () => {
    const databaseFile = tempDatabaseFile();
    const requests = replicaRequests(90, 'cache');
    const first = poolGateway(databaseFile, poolConfig({ replicas: servers.map(v1) }));
    const answered = textsOf(await first.completeBatch(requests));
    await first.close();
    for (const s of servers) s.resetStats();
    const [a, b, c] = servers.map(v1);
    const reordered = poolGateway(databaseFile, poolConfig({ replicas: [c!, { url: a!, concurrency: 4 }] }));
    try {
      const replayed = await reordered.completeBatch(requests);
      expect(replayed.every((o) => o.ok && o.result.cached)).toBe(true);
      expect(textsOf(replayed)).toEqual(answered);
      expect(servers.map(requestsOn)).toEqual([0, 0, 0]);
    } finally {
      await reordered.close();
    }
    // The endpoint id (limits, batches) hashes the set of URLs, not their order.
    const specs = replicaSpecsOf([a!, b!, c!], undefined, 16);
    expect(replicaSetIdentity(specs)).toBe(replicaSetIdentity(replicaSpecsOf([c!, `${a}/`, b!], 8, 16)));
  });

  it("calls a batch's lines live, spread over the replicas (no single batch API)", async () => {
    for (const s of servers) s.resetStats();
    const service = poolGateway(tempDatabaseFile(), poolConfig({ replicas: servers.map(v1) }));
    try {
      const outcomes = await service.completeBatch(replicaRequests(60, 'batch'), { execution: 'batch' });
      expect(outcomes.every((o) => o.ok)).toBe(true);
      expect(servers.map((s) => s.stats().batches.batches)).toEqual([0, 0, 0]);
      expect(servers.map(requestsOn).reduce((a, b) => a + b, 0)).toBe(60);
      expect(servers.every((s) => requestsOn(s) > 0)).toBe(true);
    } finally {
      await service.close();
    }
  });

  it('spreads an Ollama model over replicas too', async () => {
    for (const s of servers) s.resetStats();
    const service = poolGateway(tempDatabaseFile(), {
      ...poolConfig({ baseUrl: v1(single) }),
      providers: { ollama: { replicas: servers.slice(0, 2).map(v1) } },
    });
    try {
      const requests = replicaRequests(40, 'ollama').map((r) => ({ ...r, model: 'ollama:default' }));
      const outcomes = await service.completeBatch(requests);
      expect(outcomes.every((o) => o.ok)).toBe(true);
      const [first, second, unused] = servers.map(requestsOn);
      expect([first! + second!, unused]).toEqual([40, 0]);
      expect(Math.min(first!, second!)).toBeGreaterThanOrEqual(10);
      const ollama = (await service.checkProviders()).providers.find((p) => p.provider === 'ollama');
      expect(ollama?.detail).toMatch(/^2 of 2 replicas ready: /);
    } finally {
      await service.close();
    }
  });

  it('lists each replica in its check, and one that stops answering goes out and comes back', async () => {
    const flaky = await startReplica();
    const port = flaky.port;
    const replicas = [v1(servers[0]!), `http://127.0.0.1:${port}/v1`];
    const service = poolGateway(tempDatabaseFile(), poolConfig({ replicas }));
    const poolCheck = async () =>
      (await service.checkProviders()).providers.find((p) => p.endpoint === 'pool')!;
    try {
      expect((await service.completeBatch(replicaRequests(40, 'check-1'))).every((o) => o.ok)).toBe(true);
      const healthy = await poolCheck();
      expect(healthy.state).toBe('ready');
      expect(healthy.detail).toMatch(/^2 of 2 replicas ready: /);
      expect(healthy.detail).toContain(`127.0.0.1:${port} answered; in service`);
      await flaky.close();
      const degraded = await poolCheck();
      expect(degraded.state).toBe('ready');
      expect(degraded.detail).toMatch(/^1 of 2 replicas ready: /);
      expect(degraded.detail).toMatch(
        new RegExp(`nothing answered at http://127.0.0.1:${port} .*out of rotation`),
      );
      // While it is out, every call goes to the other replica and none fails.
      const before = requestsOn(servers[0]!);
      const whileOut = await service.completeBatch(replicaRequests(40, 'check-2'));
      expect(whileOut.every((o) => o.ok)).toBe(true);
      expect(requestsOn(servers[0]!) - before).toBe(40);

      const restarted = await startReplica(port);
      try {
        // A probe (its back-off's or the check's own) finds it again.
        await waitFor(async () => (await poolCheck()).detail.startsWith('2 of 2'), 100);
        await waitFor(async () => !(await poolCheck()).detail.includes('out of rotation'), 100);
        const after = await service.completeBatch(replicaRequests(40, 'check-3'));
        expect(after.every((o) => o.ok)).toBe(true);
        expect(requestsOn(restarted)).toBeGreaterThan(10);
      } finally {
        await restarted.close();
      }
    } finally {
      await service.close();
    }
  });
});

describe('replica configuration', () => {
  it('takes baseUrl or replicas, not both or neither', () => {
    const parse = (pool: object) => GatewayConfigSchema.safeParse({ endpoints: { pool } });
    expect(
      parse({ replicas: ['http://127.0.0.1:1/v1', { url: 'http://127.0.0.1:2/v1', concurrency: 4 }] })
        .success,
    ).toBe(true);
    for (const wrong of [{}, { baseUrl: 'http://127.0.0.1:1/v1', replicas: ['http://127.0.0.1:2/v1'] }]) {
      const result = parse(wrong);
      expect(result.success).toBe(false);
      expect(result.error?.issues[0]?.message).toMatch(/either baseUrl or replicas/);
    }
    expect(parse({ replicas: [] }).success).toBe(false);
    expect(parse({ replicas: ['not a url'] }).success).toBe(false);
  });

  it("sums the replicas' concurrency unless the endpoint sets its own", () => {
    const specs = replicaSpecsOf(['http://a/v1', { url: 'http://b/v1', concurrency: 4 }], undefined, 16);
    expect(specs.map((s) => s.capacity)).toEqual([16, 4]);
    expect(replicatedLimits({ rpm: 100 }, specs)).toEqual({ rpm: 100, concurrency: 20 });
    const capped = replicaSpecsOf(['http://a/v1', 'http://b/v1'], 48, 16);
    expect(capped.map((s) => s.capacity)).toEqual([48, 48]);
    expect(replicatedLimits({ concurrency: 48 }, capped).concurrency).toBe(48);
  });
});
