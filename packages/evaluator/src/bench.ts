import path from 'node:path';
import type {
  CompletionOutcome,
  DatasetsClient,
  EvaluationRequestInput,
  EvaluationResult,
  LlmClient,
} from '@metaspo/schemas';
import { createServiceClient } from '@metaspo/service-kit';
import { mapBounded } from './bounded.js';
import { chatMessages, userMessage } from './messages.js';
import { createEvaluatorRouter, type EvaluatorRouter } from './router.js';
import { createEvaluatorService, type EvaluatorServiceOptions } from './service.js';

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
}

export interface EvaluatorThroughput {
  evaluations: number;
  items: number;
  seconds: number;
  itemsPerSecond: number;
}

export interface EvaluatorBenchResult {
  model: string;
  tasks: number;
  pairsPerTask: number;
  n: number;
  concurrency: number;
  /** Untimed in the figures: first use of each task (example generation, answer key). */
  warmUp: EvaluatorThroughput;
  /** First pass: the gateway computes every response (simulator, cache and ledger writes). */
  fresh: EvaluatorThroughput;
  /** The same pairs again: every response comes from the gateway's cache. */
  cached: EvaluatorThroughput;
  /** The gateway's completeBatch alone on the same (cached) requests, without the evaluator. */
  gatewayAlone: EvaluatorThroughput;
  /** The evaluator alone: an instant in-memory gateway, so only sampling, extraction, scoring and SQLite count. */
  evaluatorOnly: EvaluatorThroughput;
  target: number;
  meetsTarget: boolean;
}

export const EVALUATOR_TARGET_ITEMS_PER_SECOND = 5_000;

function requestsFor(
  options: Required<Pick<EvaluatorBenchOptions, 'taskIds' | 'model' | 'pairsPerTask' | 'n'>>,
) {
  return options.taskIds.flatMap((taskId) =>
    Array.from(
      { length: options.pairsPerTask },
      (_, pair): EvaluationRequestInput => ({
        systemPrompt: 'You are a careful assistant. Think step by step.',
        userPrompt: `Prompt variant ${pair}.\n{question}\nGive the final answer inside <answer></answer>.`,
        taskId,
        split: 'test',
        n: options.n,
        seed: 42,
        model: options.model,
      }),
    ),
  );
}

async function measure(run: () => Promise<EvaluationResult[]>): Promise<EvaluatorThroughput> {
  const started = performance.now();
  const results = await run();
  const seconds = (performance.now() - started) / 1000;
  const items = results.reduce((sum, r) => sum + r.n, 0);
  return { evaluations: results.length, items, seconds, itemsPerSecond: items / seconds };
}

/** Answers every request instantly with the response the real gateway gave to the same message. */
function replayingLlm(real: LlmClient, results: readonly EvaluationResult[]): LlmClient {
  const responses = new Map<string, string>();
  for (const result of results) {
    const pair = { ...result, systemPlacement: 'system' as const };
    for (const item of result.items) responses.set(userMessage(pair, item.question), item.response);
  }
  const outcomeFor = (message: string): CompletionOutcome => ({
    ok: true,
    result: {
      callId: 'replay',
      model: 'sim:default',
      text: responses.get(message) ?? '',
      usage: { promptTokens: 1, completionTokens: 1 },
      finishReason: 'stop',
      cached: true,
      latencyMs: 0,
      costUsd: null,
    },
  });
  return {
    ...real,
    completeBatch: {
      mutate: async ({ requests }) => ({
        outcomes: requests.map((request) => outcomeFor(request.messages.at(-1)?.content ?? '')),
      }),
    },
  };
}

/**
 * The gateway alone on the same requests (all cached by then), one batch per pair with the same
 * concurrency: the floor under the evaluator's cached pass.
 */
async function measureGatewayAlone(
  llm: LlmClient,
  results: readonly EvaluationResult[],
  concurrency: number,
): Promise<EvaluatorThroughput> {
  const batches = results.map((result) =>
    result.items.map((item) => ({
      model: result.model,
      messages: chatMessages({ ...result, systemPlacement: 'system' }, item.question),
      temperature: 0,
      tag: 'base',
    })),
  );
  const started = performance.now();
  const outcomes = await mapBounded(batches, concurrency, (requests) =>
    llm.completeBatch.mutate({ requests }),
  );
  const seconds = (performance.now() - started) / 1000;
  const items = outcomes.reduce((sum, batch) => sum + batch.outcomes.length, 0);
  return { evaluations: batches.length, items, seconds, itemsPerSecond: items / seconds };
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
 * fresh, from the gateway cache, and with an instant gateway (the evaluator's own cost).
 */
export async function runEvaluatorBench(options: EvaluatorBenchOptions): Promise<EvaluatorBenchResult> {
  const settings = {
    taskIds: [...options.taskIds],
    model: options.model ?? 'sim:default',
    pairsPerTask: options.pairsPerTask ?? 10,
    n: options.n ?? 100,
  };
  const concurrency = options.concurrency ?? 8;
  const requests = requestsFor(settings);
  const real = evaluatorClient({
    databaseFile: path.join(options.dir, 'evaluator-bench.sqlite'),
    llm: options.llm,
    datasets: options.datasets,
    concurrency,
  });
  let firstPass: EvaluationResult[] = [];
  let fresh: EvaluatorThroughput;
  let cached: EvaluatorThroughput;
  let warmUp: EvaluatorThroughput;
  let gatewayAlone: EvaluatorThroughput;
  try {
    // One-time work outside the figures: generating the tasks' examples on first use and
    // loading the simulator's answer key. One item per task, with a prompt not measured later.
    warmUp = await measure(() =>
      real.client.evaluateMany.mutate({
        requests: settings.taskIds.map((taskId) => ({
          ...requests[0]!,
          taskId,
          n: 1,
          userPrompt: 'Warm-up. {question}',
        })),
      }),
    );
    fresh = await measure(async () => {
      firstPass = await real.client.evaluateMany.mutate({ requests });
      return firstPass;
    });
    cached = await measure(() => real.client.evaluateMany.mutate({ requests }));
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
    const evaluatorOnly = await measure(() => alone.client.evaluateMany.mutate({ requests }));
    return {
      ...settings,
      tasks: settings.taskIds.length,
      concurrency,
      warmUp,
      fresh,
      cached,
      gatewayAlone,
      evaluatorOnly,
      target: EVALUATOR_TARGET_ITEMS_PER_SECOND,
      meetsTarget: fresh.itemsPerSecond >= EVALUATOR_TARGET_ITEMS_PER_SECOND,
    };
  } finally {
    alone.service.close();
  }
}
