import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { CompletionRequestInput } from '@metaspo/schemas';
import { createServiceClient } from '@metaspo/service-kit';
import { bareClientRequestsPerSecond } from './bench-bare-client.js';
import { startBenchServer } from './bench-server.js';
import { createLlmRouter, type LlmRouter } from './router.js';
import { createLlmGatewayService } from './service.js';

export interface BenchGatewayOptions {
  requests?: number;
  concurrency?: number;
  latencyMs?: number;
  /** Requests of the in-process `sim:` measurement (the evaluator's path). */
  simRequests?: number;
}

export interface ThroughputFigure {
  requests: number;
  seconds: number;
  requestsPerSecond: number;
  failed: number;
}

export interface GatewayBenchResult {
  openai: ThroughputFigure & {
    concurrency: number;
    latencyMs: number;
    idealRequestsPerSecond: number;
    ratio: number;
    target: number;
    serverRequests: number;
    /** A bare node:http client on the same server, same concurrency, in the same run. */
    bareClientRequestsPerSecond: number;
    bareClientRatio: number;
  };
  openaiFromCache: ThroughputFigure & { cachedCalls: number };
  simInProcess: ThroughputFigure & { microsecondsPerRequest: number; target: number };
}

function requestsFor(model: string, count: number, label: string): CompletionRequestInput[] {
  return Array.from({ length: count }, (_, i) => ({
    model,
    messages: [
      { role: 'system', content: 'You are a helpful assistant.' },
      { role: 'user', content: `${label} ${i}: what is ${i} plus ${i % 7}? Answer with a number.` },
    ],
    temperature: 0,
  }));
}

async function timed(
  run: () => Promise<{ outcomes: Array<{ ok: boolean; result?: { cached: boolean } }> }>,
): Promise<ThroughputFigure & { cachedCalls: number }> {
  const started = performance.now();
  const { outcomes } = await run();
  const seconds = (performance.now() - started) / 1000;
  return {
    requests: outcomes.length,
    seconds,
    requestsPerSecond: outcomes.length / seconds,
    failed: outcomes.filter((o) => !o.ok).length,
    cachedCalls: outcomes.filter((o) => o.result?.cached).length,
  };
}

/**
 * Throughput of the HTTP provider path (openai: against a loopback simulator with fixed
 * latency, in a child process) compared with its ideal, concurrency / latency, and with a bare
 * node:http client on the same server; the same batch replayed from the cache; and the
 * in-process sim: path with cache and ledger writes. All through the tRPC client, so every
 * layer a caller crosses is measured.
 */
export async function runGatewayBench(options: BenchGatewayOptions = {}): Promise<GatewayBenchResult> {
  const count = options.requests ?? 3_000;
  const concurrency = options.concurrency ?? 64;
  const latencyMs = options.latencyMs ?? 50;
  const simCount = Math.min(options.simRequests ?? 10_000, 10_000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-bench-gateway-'));
  const server = await startBenchServer(latencyMs);
  const service = createLlmGatewayService({
    databaseFile: path.join(dir, 'gateway.sqlite'),
    config: { providers: { openai: { concurrency } } },
    env: { OPENAI_API_KEY: 'sk-local-bench-key', OPENAI_BASE_URL: `${server.url}/v1` },
  });
  const client = createServiceClient<LlmRouter>({ router: createLlmRouter(service) });
  try {
    // Untimed: one request per connection opens the keep-alive sockets and warms the code up, so
    // the figure is the steady state a long run sees (the answers differ from the timed batch).
    await client.completeBatch.mutate({ requests: requestsFor('openai:default', concurrency, 'Warm-up') });
    const requestsBefore = await server.requests();
    const openaiRequests = requestsFor('openai:default', count, 'Bench question');
    const fresh = await timed(() => client.completeBatch.mutate({ requests: openaiRequests }));
    const serverRequests = (await server.requests()) - requestsBefore;
    const bareClient = await bareClientRequestsPerSecond(
      server.url,
      requestsFor('openai:default', count, 'Bare client question'),
      concurrency,
    );
    const replay = await timed(() => client.completeBatch.mutate({ requests: openaiRequests }));
    const simRequests = requestsFor('sim:default', simCount, 'Sim question');
    const sim = await timed(() => client.completeBatch.mutate({ requests: simRequests }));
    const ideal = concurrency / (latencyMs / 1000);
    return {
      openai: {
        requests: fresh.requests,
        seconds: fresh.seconds,
        requestsPerSecond: fresh.requestsPerSecond,
        failed: fresh.failed,
        concurrency,
        latencyMs,
        idealRequestsPerSecond: ideal,
        ratio: fresh.requestsPerSecond / ideal,
        target: 0.9,
        serverRequests,
        bareClientRequestsPerSecond: bareClient,
        bareClientRatio: bareClient / ideal,
      },
      openaiFromCache: replay,
      simInProcess: {
        requests: sim.requests,
        seconds: sim.seconds,
        requestsPerSecond: sim.requestsPerSecond,
        failed: sim.failed,
        microsecondsPerRequest: (sim.seconds * 1e6) / sim.requests,
        target: 5_000,
      },
    };
  } finally {
    await service.close();
    await server.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
