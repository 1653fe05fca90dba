import { Worker } from 'node:worker_threads';

export interface LoadRun {
  latenciesMs: Float64Array;
  failures: number;
  durationMs: number;
}

export interface LoadSpec {
  url: string;
  path: string;
  bodies: string[];
  total: number;
  concurrency: number;
}

/*
 * The load generator runs in a worker thread, so its HTTP client does not share the server's
 * event loop: what is measured is the server. Plain JavaScript (node:http only) so the worker
 * needs no TypeScript loader.
 */
const CLIENT_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const { Agent, request } = require('node:http');
const { url, path, bodies, total, concurrency } = workerData;
const { hostname, port } = new URL(url);
const agent = new Agent({ keepAlive: true, maxSockets: concurrency });
const latencies = new Float64Array(total);
let next = 0;
let failures = 0;
const send = (body) => new Promise((resolve) => {
  const req = request({ agent, hostname, port, method: 'POST', path,
    headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
    (res) => { res.resume(); res.on('end', () => resolve(res.statusCode)); });
  req.on('error', () => resolve(0));
  req.end(body);
});
const client = async () => {
  while (next < total) {
    const index = next++;
    const sent = performance.now();
    const status = await send(bodies[index % bodies.length]);
    latencies[index] = performance.now() - sent;
    if (status !== 200) failures += 1;
  }
};
const started = performance.now();
Promise.all(Array.from({ length: concurrency }, client)).then(() => {
  const durationMs = performance.now() - started;
  agent.destroy();
  parentPort.postMessage({ latenciesMs: latencies, failures, durationMs }, [latencies.buffer]);
});
`;

export function runLoad(spec: LoadSpec): Promise<LoadRun> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(CLIENT_SOURCE, { eval: true, workerData: spec });
    worker.once('message', (run: LoadRun) => {
      resolve(run);
      void worker.terminate();
    });
    worker.once('error', reject);
  });
}
