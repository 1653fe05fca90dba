import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createLlmGatewayService, createLlmRouter, type LlmRouter } from '@metaspo/llm-gateway';
import type { CompletionRequestInput } from '@metaspo/schemas';
import { createServiceClient, medianBy, passCountOf } from '@metaspo/service-kit';
import { createSimProviderFactory } from '@metaspo/simulator';
import { runLoad, startSimServerProcess } from '@metaspo/simulator/bench';

export interface BenchGatewayOptions {
  requests?: number;
  concurrency?: number;
  latencyMs?: number;
  /** Requests of the in-process `sim:` measurement (the evaluator's path). */
  simRequests?: number;
  /**
   * Timed passes of the openai: path after the cold first pass, each with questions of its own
   * and each followed by the bare client: the figures are the medians, every pass is listed.
   */
  passes?: number;
}

export interface OpenAiPass {
  requestsPerSecond: number;
  ratio: number;
  failed: number;
  serverRequests: number;
  bareClientRequestsPerSecond: number;
  bareClientRatio: number;
  /** The gateway's throughput over the bare client's, in this pass. */
  ratioToBareClient: number;
  /**
   * CPU time of this process (every thread: the event loop, the collector's helpers) per
   * call during the gateway's pass: the cost that sets the ceiling, less skewed than
   * throughput by other load on the machine.
   */
  cpuMicrosecondsPerCall: number;
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
    /** A bare node:http client on the same server, same concurrency, in the same run (median pass). */
    bareClientRequestsPerSecond: number;
    bareClientRatio: number;
    /** Median over the passes of each pass's gateway / bare-client throughput. */
    ratioToBareClient: number;
    /** What `ratioToBareClient` should reach. */
    bareClientTarget: number;
    /** Median over the passes. */
    cpuMicrosecondsPerCall: number;
    /** The first timed pass, with the code not yet optimised: printed, not in the medians. */
    coldPass: OpenAiPass;
    passes: OpenAiPass[];
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
): Promise<ThroughputFigure & { cachedCalls: number; cpuMicrosecondsPerCall: number }> {
  const cpuBefore = process.cpuUsage();
  const started = performance.now();
  const { outcomes } = await run();
  const seconds = (performance.now() - started) / 1000;
  const cpu = process.cpuUsage(cpuBefore);
  return {
    requests: outcomes.length,
    seconds,
    requestsPerSecond: outcomes.length / seconds,
    failed: outcomes.filter((o) => !o.ok).length,
    cachedCalls: outcomes.filter((o) => o.result?.cached).length,
    cpuMicrosecondsPerCall: (cpu.user + cpu.system) / outcomes.length,
  };
}

/**
 * The same number of chat requests from the simulator's bare node:http load generator (its own
 * thread, keep-alive, fixed concurrency): the ceiling this machine and server allow any client,
 * measured in the same run as the gateway so the two compare as a ratio.
 */
async function bareClientRequestsPerSecond(
  url: string,
  count: number,
  concurrency: number,
  label: string,
): Promise<number> {
  const bodies = requestsFor('default', count, `${label} bare client question`).map((request) =>
    JSON.stringify(request),
  );
  const run = await runLoad({ url, path: '/v1/chat/completions', bodies, total: count, concurrency });
  if (run.failures > 0) throw new Error(`bare client: ${run.failures} of ${count} requests failed`);
  return count / (run.durationMs / 1000);
}

/**
 * Throughput of the HTTP provider path (openai: against a loopback simulator with fixed
 * latency, in a child process) compared with its ideal, concurrency / latency, and with a bare
 * node:http client on the same server (medians of alternating passes after a cold one); a
 * pass's batch replayed from the cache; and the in-process sim: path with cache and ledger writes. All
 * through the tRPC client, so every layer a caller crosses is measured.
 */
export async function runGatewayBench(options: BenchGatewayOptions = {}): Promise<GatewayBenchResult> {
  const count = options.requests ?? 3_000;
  const concurrency = options.concurrency ?? 64;
  const latencyMs = options.latencyMs ?? 50;
  const simCount = Math.min(options.simRequests ?? 10_000, 10_000);
  const passCount = passCountOf(options.passes, 5);
  const ideal = concurrency / (latencyMs / 1000);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-bench-gateway-'));
  const server = await startSimServerProcess({ latencyMs });
  const service = createLlmGatewayService({
    databaseFile: path.join(dir, 'gateway.sqlite'),
    config: { providers: { openai: { concurrency } } },
    env: { OPENAI_API_KEY: 'sk-local-bench-key', OPENAI_BASE_URL: `${server.url}/v1` },
    providers: [createSimProviderFactory()],
  });
  const client = createServiceClient<LlmRouter>({ router: createLlmRouter(service) });
  try {
    // Untimed: one request per connection opens the keep-alive sockets.
    await client.completeBatch.mutate({ requests: requestsFor('openai:default', concurrency, 'Warm-up') });
    const measurePass = async (batch: CompletionRequestInput[], label: string): Promise<OpenAiPass> => {
      const requestsBefore = await server.requests();
      const fresh = await timed(() => client.completeBatch.mutate({ requests: batch }));
      const serverRequests = (await server.requests()) - requestsBefore;
      const bare = await bareClientRequestsPerSecond(server.url, count, concurrency, label);
      return {
        requestsPerSecond: fresh.requestsPerSecond,
        ratio: fresh.requestsPerSecond / ideal,
        failed: fresh.failed,
        serverRequests,
        bareClientRequestsPerSecond: bare,
        bareClientRatio: bare / ideal,
        ratioToBareClient: fresh.requestsPerSecond / bare,
        cpuMicrosecondsPerCall: fresh.cpuMicrosecondsPerCall,
      };
    };
    const batches = Array.from({ length: passCount }, (_, i) =>
      requestsFor('openai:default', count, `Pass ${i + 1} question`),
    );
    // The first pass runs while V8 is still compiling the hot path (about 0.1 below the later
    // passes): reported apart, like a JIT warm-up iteration, and left out of the medians.
    const coldPass = await measurePass(
      requestsFor('openai:default', count, 'Cold pass question'),
      'Cold pass',
    );
    const passes: OpenAiPass[] = [];
    for (const [i, batch] of batches.entries()) passes.push(await measurePass(batch, `Pass ${i + 1}`));
    const median = medianBy(passes, (p) => p.requestsPerSecond);
    const bareMedian = medianBy(passes, (p) => p.bareClientRequestsPerSecond);
    const toBareMedian = medianBy(passes, (p) => p.ratioToBareClient);
    const cpuMedian = medianBy(passes, (p) => p.cpuMicrosecondsPerCall);
    const replay = await timed(() => client.completeBatch.mutate({ requests: batches[0]! }));
    const simRequests = requestsFor('sim:default', simCount, 'Sim question');
    const sim = await timed(() => client.completeBatch.mutate({ requests: simRequests }));
    return {
      openai: {
        requests: count,
        seconds: count / median.requestsPerSecond,
        requestsPerSecond: median.requestsPerSecond,
        failed: median.failed,
        concurrency,
        latencyMs,
        idealRequestsPerSecond: ideal,
        ratio: median.ratio,
        target: 0.9,
        serverRequests: median.serverRequests,
        bareClientRequestsPerSecond: bareMedian.bareClientRequestsPerSecond,
        bareClientRatio: bareMedian.bareClientRatio,
        ratioToBareClient: toBareMedian.ratioToBareClient,
        bareClientTarget: 0.95,
        cpuMicrosecondsPerCall: cpuMedian.cpuMicrosecondsPerCall,
        coldPass,
        passes,
      },
      openaiFromCache: {
        requests: replay.requests,
        seconds: replay.seconds,
        requestsPerSecond: replay.requestsPerSecond,
        failed: replay.failed,
        cachedCalls: replay.cachedCalls,
      },
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
