import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { nearestRankPercentile } from '@metaspo/service-kit';
import { createAnswerKey } from './answer-key.js';
import { type LoadRun, runLoad } from './bench-load.js';

export { type LoadRun, type LoadSpec, runLoad } from './bench-load.js';
export {
  type SimServerProcess,
  type SimServerProcessOptions,
  startSimServerProcess,
} from './sim-server-process.js';

import { startSimServer } from './server/sim-server.js';
import { SYNTHETIC_TASKS, syntheticEntries } from './synthetic-tasks.js';

/** The target: the loopback server sustains this many requests per second at latency 0. */
export const SIM_SERVER_TARGET_RPS = 2_000;

export interface SimServerBenchOptions {
  requests?: number;
  concurrency?: number;
}

export interface SimServerBenchResult {
  requests: number;
  concurrency: number;
  failures: number;
  durationMs: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  targetRps: number;
  pass: boolean;
  /** The server's own count of answered requests, to show every request reached it. */
  serverAnswered: number;
  /**
   * A bare node:http server answering a constant body, driven the same way in the same run:
   * the ceiling of this machine at the moment (other processes share its cores).
   */
  bareHttpRequestsPerSecond: number;
}

const rps = (run: LoadRun, total: number) => total / (run.durationMs / 1000);

/** A constant-answer server: what the same load reaches without the simulator behind it. */
async function bareHttpRps(bodies: string[], total: number, concurrency: number): Promise<number> {
  const answer = JSON.stringify({ choices: [{ index: 0, message: { role: 'assistant', content: 'A' } }] });
  const server = createServer((req, res) => {
    req.resume();
    req.on('end', () => {
      res.writeHead(200, { 'content-type': 'application/json', 'content-length': Buffer.byteLength(answer) });
      res.end(answer);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const run = await runLoad({ url: `http://127.0.0.1:${port}`, path: '/', bodies, total, concurrency });
  server.closeAllConnections();
  await new Promise((resolve) => server.close(resolve));
  return rps(run, total);
}

/**
 * Starts the simulator server in-process at latency 0 and fires `requests` OpenAI chat
 * completions (real base-model questions) from `concurrency` keep-alive connections.
 */
export async function benchSimServer(options: SimServerBenchOptions = {}): Promise<SimServerBenchResult> {
  const total = options.requests ?? 20_000;
  const concurrency = options.concurrency ?? 64;
  const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 100));
  const bodies = entries.map((e) =>
    JSON.stringify({
      model: 'sim:default',
      temperature: 0,
      messages: [
        { role: 'system', content: 'You are a helpful assistant.' },
        {
          role: 'user',
          content: `<Question>${e.question}</Question>\nWrite the answer inside <answer></answer>.`,
        },
      ],
    }),
  );
  const server = await startSimServer({ answerKey: createAnswerKey(entries) });
  const run = await runLoad({ url: server.url, path: '/v1/chat/completions', bodies, total, concurrency });
  const serverAnswered = server.stats().answered;
  await server.close();
  const bare = await bareHttpRps(bodies, total, concurrency);

  const sorted = run.latenciesMs.slice().sort();
  const requestsPerSecond = rps(run, total);
  return {
    requests: total,
    concurrency,
    failures: run.failures,
    durationMs: Math.round(run.durationMs),
    requestsPerSecond: Math.round(requestsPerSecond),
    p50Ms: Number(nearestRankPercentile(sorted, 50).toFixed(2)),
    p99Ms: Number(nearestRankPercentile(sorted, 99).toFixed(2)),
    targetRps: SIM_SERVER_TARGET_RPS,
    pass: run.failures === 0 && requestsPerSecond >= SIM_SERVER_TARGET_RPS,
    serverAnswered,
    bareHttpRequestsPerSecond: Math.round(bare),
  };
}
