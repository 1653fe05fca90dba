import path from 'node:path';
import type { DatasetsClient, EvaluationRequestInput, EvaluationResult, LlmClient } from '@metaspo/schemas';
import { createServiceClient, medianBy, passCountOf } from '@metaspo/service-kit';
import {
  type EvaluatorThroughput,
  measureGatewayAlone,
  replayingLlm,
  throughputOf,
} from './bench-baselines.js';
import { createEvaluatorRouter, type EvaluatorRouter } from './router.js';
import { createEvaluatorService, type EvaluatorServiceOptions } from './service.js';

export type { EvaluatorThroughput } from './bench-baselines.js';

export interface EvaluatorBenchOptions {
  /** The gateway and the dataset registry to measure against (the CLI passes in-process ones). */
  llm: LlmClient;
  datasets: DatasetsClient;
  taskIds: readonly string[];
  /** Folder for the evaluator's SQLite files: persistence on disk is part of what is measured. */
  dir: string;
  model?: string;
  /** Prompt pairs per task (distinct user prompts, so distinct gateway requests). */
  pairsPerTask?: number;
  /** Examples per pair. */
  n?: number;
  concurrency?: number;
  /**
   * Fresh passes, each with user prompts of its own so the gateway computes every response.
   * One pass is under a second: a GC pause or a WAL checkpoint moves it, the median of several
   * does not.
   */
  passes?: number;
}

export interface EvaluatorBenchResult {
  model: string;
  tasks: number;
  pairsPerTask: number;
  n: number;
  concurrency: number;
  passes: number;
  /** Untimed in the figures: first use of each task (example generation, answer key). */
  warmUp: EvaluatorThroughput;
  /** Every fresh pass in order: the gateway computes every response (simulator, cache and ledger writes). */
  freshPasses: EvaluatorThroughput[];
  /** The median fresh pass (the slower middle one for an even count): the figure held against the target. */
  fresh: EvaluatorThroughput;
  /** Each fresh pass's pairs again, in the same order: every response comes from the gateway's cache. */
  cachedPasses: EvaluatorThroughput[];
  /** The median cached pass. */
  cached: EvaluatorThroughput;
  /** The gateway's completeBatch alone on the first pass's (cached) requests, without the evaluator. */
  gatewayAlone: EvaluatorThroughput;
  /** The evaluator alone on the first pass's pairs: an instant in-memory gateway, so only sampling, extraction, scoring and SQLite count. */
  evaluatorOnly: EvaluatorThroughput;
  target: number;
  meetsTarget: boolean;
}

export const EVALUATOR_TARGET_ITEMS_PER_SECOND = 5_000;
export const DEFAULT_EVALUATOR_BENCH_PASSES = 5;

interface PassSettings {
  taskIds: string[];
  model: string;
  pairsPerTask: number;
  n: number;
}

/** The pairs of one pass: its number is in every user prompt, so no pass hits another's cache entries. */
function requestsFor(settings: PassSettings, pass: number): EvaluationRequestInput[] {
  return settings.taskIds.flatMap((taskId) =>
    Array.from(
      { length: settings.pairsPerTask },
      (_, pair): EvaluationRequestInput => ({
        systemPrompt: 'You are a careful assistant. Think step by step.',
        userPrompt: `Pass ${pass}, prompt variant ${pair}.\n{question}\nGive the final answer inside <answer></answer>.`,
        taskId,
        split: 'test',
        n: settings.n,
        seed: 42,
        model: settings.model,
      }),
    ),
  );
}

async function measure(run: () => Promise<EvaluationResult[]>): Promise<EvaluatorThroughput> {
  const started = performance.now();
  const results = await run();
  const seconds = (performance.now() - started) / 1000;
  return throughputOf(
    results.length,
    results.reduce((sum, r) => sum + r.n, 0),
    seconds,
  );
}

function evaluatorClient(options: EvaluatorServiceOptions) {
  const service = createEvaluatorService(options);
  return {
    service,
    client: createServiceClient<EvaluatorRouter>({ router: createEvaluatorRouter(service) }),
  };
}

/**
 * Items evaluated per second through the evaluator's tRPC client, persistence included:
 * fresh (median of several passes), from the gateway cache, and with an instant gateway (the
 * evaluator's own cost).
 */
export async function runEvaluatorBench(options: EvaluatorBenchOptions): Promise<EvaluatorBenchResult> {
  const settings: PassSettings = {
    taskIds: [...options.taskIds],
    model: options.model ?? 'sim:default',
    pairsPerTask: options.pairsPerTask ?? 10,
    n: options.n ?? 100,
  };
  const concurrency = options.concurrency ?? 8;
  const passes = passCountOf(options.passes, DEFAULT_EVALUATOR_BENCH_PASSES);
  const passRequests = Array.from({ length: passes }, (_, pass) => requestsFor(settings, pass));
  const real = evaluatorClient({
    databaseFile: path.join(options.dir, 'evaluator-bench.sqlite'),
    llm: options.llm,
    datasets: options.datasets,
    concurrency,
  });
  const evaluateAll = (requests: EvaluationRequestInput[]) => real.client.evaluateMany.mutate({ requests });
  // Kept for the gateway-alone and evaluator-only passes; later passes' results are dropped so
  // the heap does not grow with the number of passes.
  let firstPass: EvaluationResult[] = [];
  const freshPasses: EvaluatorThroughput[] = [];
  const cachedPasses: EvaluatorThroughput[] = [];
  let warmUp: EvaluatorThroughput;
  let gatewayAlone: EvaluatorThroughput;
  try {
    // One-time work outside the figures: generating the tasks' examples on first use and
    // loading the simulator's answer key. One item per task, with a prompt not measured later.
    warmUp = await measure(() =>
      evaluateAll(
        settings.taskIds.map((taskId) => ({
          ...passRequests[0]![0]!,
          taskId,
          n: 1,
          userPrompt: 'Warm-up. {question}',
        })),
      ),
    );
    for (const [pass, requests] of passRequests.entries()) {
      freshPasses.push(
        await measure(async () => {
          const results = await evaluateAll(requests);
          if (pass === 0) firstPass = results;
          return results;
        }),
      );
    }
    for (const requests of passRequests) cachedPasses.push(await measure(() => evaluateAll(requests)));
    gatewayAlone = await measureGatewayAlone(options.llm, firstPass, concurrency);
  } finally {
    real.service.close();
  }
  const alone = evaluatorClient({
    databaseFile: path.join(options.dir, 'evaluator-alone-bench.sqlite'),
    llm: replayingLlm(options.llm, firstPass),
    datasets: options.datasets,
    concurrency,
  });
  try {
    const evaluatorOnly = await measure(() =>
      alone.client.evaluateMany.mutate({ requests: passRequests[0]! }),
    );
    const fresh = medianBy(freshPasses, (pass) => pass.itemsPerSecond);
    return {
      ...settings,
      tasks: settings.taskIds.length,
      concurrency,
      passes,
      warmUp,
      freshPasses,
      fresh,
      cachedPasses,
      cached: medianBy(cachedPasses, (pass) => pass.itemsPerSecond),
      gatewayAlone,
      evaluatorOnly,
      target: EVALUATOR_TARGET_ITEMS_PER_SECOND,
      meetsTarget: fresh.itemsPerSecond >= EVALUATOR_TARGET_ITEMS_PER_SECOND,
    };
  } finally {
    alone.service.close();
  }
}
