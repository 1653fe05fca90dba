import { type ChildProcess, spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { startSimServer } from '@metaspo/simulator';
import { afterEach, describe, expect, it } from 'vitest';
import { tempDatabaseFile, waitFor } from './helpers.js';
import { poolConfig, poolGateway, REPLICA_ANSWER_KEY, replicaRequests, textsOf } from './replica-support.js';

const SERVER = fileURLToPath(new URL('./fixtures/replica-server.ts', import.meta.url));
const LATENCY_MS = 20;
const CALLS = 3_000;

interface ReplicaProcess {
  child: ChildProcess;
  url: string;
  port: number;
  exited: Promise<NodeJS.Signals | null>;
}

const started: ChildProcess[] = [];
afterEach(() => {
  for (const child of started.splice(0))
    if (child.exitCode === null && child.signalCode === null) child.kill();
});

/** A simulator server in a child process of its own, as a replica on another machine would be. */
function spawnReplica(port = 0): Promise<ReplicaProcess> {
  const child = spawn(
    process.execPath,
    ['--conditions=@metaspo/source', '--import', 'tsx', SERVER, String(port), String(LATENCY_MS)],
    { stdio: ['ignore', 'pipe', 'inherit'] },
  );
  started.push(child);
  const exited = new Promise<NodeJS.Signals | null>((resolve) =>
    child.on('exit', (_code, signal) => resolve(signal)),
  );
  return new Promise((resolve, reject) => {
    child.once('exit', (code) => reject(new Error(`the replica server exited (code ${code})`)));
    child.stdout!.once('data', (chunk: Buffer) => {
      const url = chunk.toString().trim();
      resolve({ child, url, port: Number(new URL(url).port), exited });
    });
  });
}

async function statsOf(url: string): Promise<{ requests: number; byEndpoint: Record<string, number> }> {
  const response = await fetch(`${url}/stats`);
  return (await response.json()) as { requests: number; byEndpoint: Record<string, number> };
}

const modelRequests = async (url: string) => (await statsOf(url)).requests;

describe('replica failover (three server processes, one killed mid-run)', () => {
  it('answers every call as one server does, takes the killed replica out and a restarted one back in', async () => {
    const requests = replicaRequests(CALLS, 'failover');
    const reference = await startSimServer({ port: 0, malformedRate: 0, answerKey: REPLICA_ANSWER_KEY });
    const alone = poolGateway(
      tempDatabaseFile(),
      poolConfig({ baseUrl: `${reference.url}/v1`, concurrency: 48 }),
    );
    const expected = textsOf(await alone.completeBatch(requests));
    await alone.close();
    await reference.close();

    const replicas = await Promise.all([spawnReplica(), spawnReplica(), spawnReplica()]);
    const victim = replicas[1]!;
    const service = poolGateway(
      tempDatabaseFile(),
      poolConfig({ replicas: replicas.map((r) => ({ url: `${r.url}/v1`, concurrency: 16 })) }),
    );
    const poolCheck = async () =>
      (await service.checkProviders()).providers.find((p) => p.endpoint === 'pool')!;
    try {
      const run = service.completeBatch(requests);
      // Killed with a third of the calls answered and the rest still to come.
      await waitFor(async () => (await modelRequests(victim.url)) >= CALLS / 9, 1_000);
      const servedBeforeKill = await Promise.all(replicas.map((r) => modelRequests(r.url)));
      victim.child.kill('SIGKILL');
      expect(await victim.exited).toBe('SIGKILL');
      const outcomes = await run;

      expect(outcomes.filter((o) => !o.ok)).toEqual([]);
      expect(textsOf(outcomes)).toEqual(expected);
      expect(service.usage().totals).toMatchObject({ calls: CALLS, failedCalls: 0 });
      expect(servedBeforeKill.reduce((a, b) => a + b, 0)).toBeLessThan(CALLS * 0.8);
      const survivors = await Promise.all([replicas[0]!, replicas[2]!].map((r) => modelRequests(r.url)));
      // They took over the victim's share: with three replicas serving they would have answered two thirds.
      expect(survivors[0]! + survivors[1]!).toBeGreaterThan(CALLS * 0.8);
      const afterKill = await poolCheck();
      expect(afterKill.detail).toMatch(/^2 of 3 replicas ready: /);
      expect(afterKill.detail).toMatch(
        new RegExp(`nothing answered at ${victim.url} .*; out of rotation after network error`),
      );

      const restarted = await spawnReplica(victim.port);
      // Its back-off probe (100 ms doubling to 400 ms) reaches it without a check asking.
      await waitFor(async () => ((await statsOf(restarted.url)).byEndpoint['GET /v1/models'] ?? 0) > 0, 300);
      const backIn = await poolCheck();
      expect(backIn.detail).toMatch(/^3 of 3 replicas ready: /);
      expect(backIn.detail).not.toContain('out of rotation');
      const again = await service.completeBatch(replicaRequests(600, 'after-restart'));
      expect(again.every((o) => o.ok)).toBe(true);
      expect(await modelRequests(restarted.url)).toBeGreaterThan(100);
    } finally {
      await service.close();
    }
  }, 60_000);
});
