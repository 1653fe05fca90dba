import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import type { AnswerKey } from '../answer-key.js';
import { createSimModel, type SimModel } from '../sim-model.js';
import { SIM_VARIANTS } from '../variants.js';
import { anthropicProtocol } from './anthropic.js';
import { createAnthropicBatchRoutes } from './anthropic-batches.js';
import { emptyBatchStats, SimBatchJobs, type SimBatchOptions, type SimBatchStats } from './batch-jobs.js';
import { type FaultKind, planRequest } from './faults.js';
import { HttpError, readJsonBody, sendJson } from './http-io.js';
import { openAiProtocol } from './openai.js';
import { createOpenAiBatchRoutes } from './openai-batches.js';
import type { WireProtocol } from './protocol.js';

export interface SimServerOptions {
  host?: string;
  /** 0 (the default) picks a free port. */
  port?: number;
  latencyMs?: number;
  jitterMs?: number;
  /** Share of model requests that fail with one of `failKinds` (default 0). */
  failRate?: number;
  failKinds?: FaultKind[];
  answerKey: AnswerKey;
  /** Share of optimizer replies malformed on purpose (default 0.05). */
  malformedRate?: number | undefined;
  /** Seeds the fault and jitter choices (default 0). */
  faultSeed?: number;
  /** The `retry-after` header of 429 replies (default 1). */
  retryAfterSeconds?: number;
  /** The batch endpoints' completion delay and injected failures (expired batches, failed lines). */
  batch?: SimBatchOptions;
}

export interface SimServerStats {
  /** Model requests received (chat completions and messages). */
  requests: number;
  /** Model requests answered with a completion. */
  answered: number;
  faults: Record<string, number>;
  /** Every request by "METHOD /path", including /v1/models and unknown routes. */
  byEndpoint: Record<string, number>;
  /** Files, batches and their lines (OpenAI files/batches and Anthropic message batches). */
  batches: SimBatchStats;
}

export interface SimServer {
  url: string;
  port: number;
  stats(): SimServerStats;
  resetStats(): void;
  close(): Promise<void>;
}

const ROUTES: Record<string, WireProtocol> = {
  'POST /v1/chat/completions': openAiProtocol,
  'POST /v1/messages': anthropicProtocol,
};

/** Resolves at `deadline`, a `performance.now()` time, or at once if it has passed. */
function until(deadline: number): Promise<void> {
  const wait = deadline - performance.now();
  return wait > 0 ? new Promise((resolve) => setTimeout(resolve, wait)) : Promise.resolve();
}

const emptyStats = (): SimServerStats => ({
  requests: 0,
  answered: 0,
  faults: {},
  byEndpoint: {},
  batches: emptyBatchStats(),
});

/** Loopback OpenAI- and Anthropic-compatible servers over the simulated model (plain node:http). */
export async function startSimServer(options: SimServerOptions): Promise<SimServer> {
  const plan = {
    failRate: options.failRate ?? 0,
    failKinds: options.failKinds ?? ['429', '500', 'timeout', 'malformed'],
    seed: options.faultSeed ?? 0,
    latencyMs: options.latencyMs ?? 0,
    jitterMs: options.jitterMs ?? 0,
  };
  const models = new Map<string, SimModel>();
  const modelFor = (name: string): SimModel => {
    const variant = name.replace(/^sim:/, '');
    let model = models.get(variant);
    if (!model) {
      try {
        model = createSimModel({
          answerKey: options.answerKey,
          variant,
          malformedRate: options.malformedRate,
        });
      } catch (error) {
        throw new HttpError(404, (error as Error).message);
      }
      models.set(variant, model);
    }
    return model;
  };
  let stats = emptyStats();
  let counter = 0;
  const stalled = new Set<ServerResponse>();
  const batchJobs = new SimBatchJobs(options.batch ?? {}, modelFor, plan.seed, () => stats.batches);
  let serverUrl = '';
  const batchRoutes = [
    { routes: createOpenAiBatchRoutes(batchJobs), protocol: openAiProtocol },
    { routes: createAnthropicBatchRoutes(batchJobs, () => serverUrl), protocol: anthropicProtocol },
  ];

  const handleCompletion = async (
    protocol: WireProtocol,
    req: IncomingMessage,
    res: ServerResponse,
  ): Promise<void> => {
    const arrived = performance.now();
    const n = counter++;
    stats.requests += 1;
    const body = await readJsonBody(req);
    const request = protocol.parse(body, req.headers);
    const model = modelFor(request.model);
    const { fault, delayMs } = planRequest(plan, n);
    // The latency runs from the request's arrival and the answer is computed within it, so a
    // latency of 50 ms answers in 50 ms, not 50 ms plus the time spent reading and answering.
    const deadline = arrived + delayMs;
    if (fault) {
      if (delayMs > 0) await until(deadline);
      stats.faults[fault] = (stats.faults[fault] ?? 0) + 1;
      if (fault === '429') {
        const retryAfter = String(options.retryAfterSeconds ?? 1);
        protocol.error(res, 429, 'rate limit reached (simulated)', { 'retry-after': retryAfter });
      } else if (fault === '500') {
        protocol.error(res, 500, 'internal server error (simulated)');
      } else if (fault === 'malformed') {
        protocol.malformed(res, request.stream);
      } else {
        // Stalled: headers never come; the client's timeout (or close()) ends it.
        stalled.add(res);
        res.on('close', () => stalled.delete(res));
      }
      return;
    }
    const output = model.complete(request.input);
    if (delayMs > 0) await until(deadline);
    stats.answered += 1;
    protocol.respond(res, request, output, `sim-${n}`);
  };

  const handle = async (req: IncomingMessage, res: ServerResponse): Promise<void> => {
    const path = (req.url ?? '/').split('?')[0] ?? '/';
    const route = `${req.method} ${path}`;
    if (route !== 'GET /stats' && route !== 'POST /stats/reset') {
      stats.byEndpoint[route] = (stats.byEndpoint[route] ?? 0) + 1;
    }
    const protocol = ROUTES[route];
    if (protocol) {
      try {
        await handleCompletion(protocol, req, res);
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        if (!res.headersSent) protocol.error(res, status, (error as Error).message);
      }
      return;
    }
    for (const { routes, protocol: batchProtocol } of batchRoutes) {
      try {
        if (await routes(req.method ?? 'GET', path, req, res)) return;
      } catch (error) {
        const status = error instanceof HttpError ? error.status : 500;
        if (!res.headersSent) batchProtocol.error(res, status, (error as Error).message);
        return;
      }
    }
    if (route === 'GET /v1/models') {
      const data = Object.keys(SIM_VARIANTS).map((v) => ({
        id: `sim:${v}`,
        object: 'model',
        created: 0,
        owned_by: 'metaspo-simulator',
      }));
      sendJson(res, 200, { object: 'list', data });
    } else if (route === 'GET /stats') {
      sendJson(res, 200, stats);
    } else if (route === 'POST /stats/reset') {
      stats = emptyStats();
      sendJson(res, 200, stats);
    } else {
      sendJson(res, 404, { error: { message: `no route for ${route}`, type: 'not_found' } });
    }
  };

  const server = createServer((req, res) => {
    void handle(req, res);
  });
  server.keepAliveTimeout = 30_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, options.host ?? '127.0.0.1', () => resolve());
  });
  const address = server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  serverUrl = `http://${host}:${address.port}`;
  return {
    url: serverUrl,
    port: address.port,
    stats: () => structuredClone(stats),
    resetStats: () => {
      stats = emptyStats();
    },
    close: () =>
      new Promise<void>((resolve) => {
        for (const res of stalled) res.destroy();
        stalled.clear();
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}
