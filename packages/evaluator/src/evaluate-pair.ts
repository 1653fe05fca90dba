import { randomUUID } from 'node:crypto';
import {
  addUsage,
  type CallOptions,
  type CompletionRequestInput,
  chatMessages,
  type EvaluationItem,
  type EvaluationRequest,
  type EvaluationResult,
  type LlmClient,
  ZERO_USAGE,
} from '@metaspo/schemas';
import { DomainError } from '@metaspo/service-kit';
import { extractPrediction } from './extraction/extract.js';

import type { SampleLoader } from './sample-loader.js';
import { scoreItems } from './scored-items.js';
import type { EvaluationStore } from './store.js';
import { callUpstream, itemErrorOf, stopErrorOf } from './upstream.js';

export interface PairEvaluatorDeps {
  llm: LlmClient;
  store: EvaluationStore;
  /** The task and its sample for a request (memoised within one `evaluateMany` call). */
  loadSample: SampleLoader;
}

/** Marks the base model's calls in the gateway's ledger, apart from the optimizer's own. */
const BASE_MODEL_TAG = 'base';

/**
 * Evaluates one validated prompt pair: the task and its sample, one gateway batch for all
 * examples, extraction, the task's metric, then one transaction storing the evaluation. The
 * requests do not depend on `scoring`: both modes read the same (cached) responses.
 */
export async function evaluatePair(
  deps: PairEvaluatorDeps,
  request: EvaluationRequest,
  options: CallOptions = {},
): Promise<EvaluationResult> {
  const { task, examples } = await deps.loadSample(request);
  const requests: CompletionRequestInput[] = examples.map((example) => ({
    model: request.model,
    messages: chatMessages(request, example.question),
    temperature: request.temperature,
    // Absent stays absent, so an uncapped request keeps its cache key.
    ...(request.maxTokens === undefined ? {} : { maxTokens: request.maxTokens }),
    sampleIndex: request.sampleIndex,
    runId: request.runId,
    tag: BASE_MODEL_TAG,
  }));
  // Only the gateway call takes the signal: it is the long one. evaluateMany hands each pair
  // its own signal (SignalFanOut), since every call through a tRPC link leaves a listener on it.
  const { outcomes } =
    requests.length === 0
      ? { outcomes: [] }
      : await callUpstream('llm.completeBatch', () =>
          deps.llm.completeBatch.mutate(
            request.execution === undefined ? { requests } : { requests, execution: request.execution },
            options,
          ),
        );
  if (outcomes.length !== examples.length) {
    throw new DomainError(
      'UPSTREAM',
      `llm.completeBatch returned ${outcomes.length} outcomes for ${examples.length} requests`,
    );
  }
  for (const outcome of outcomes) {
    const stop = outcome.ok ? null : stopErrorOf(outcome.error);
    if (stop) throw stop;
  }

  let usage = ZERO_USAGE;
  let cachedCalls = 0;
  let failedItems = 0;
  let failedItemError: string | undefined;
  const items: EvaluationItem[] = examples.map((example, i) => {
    const outcome = outcomes[i]!;
    const base = { exampleId: example.id, question: example.question, gold: example.answer, correct: false };
    if (!outcome.ok) {
      failedItems += 1;
      const error = itemErrorOf(outcome.error);
      failedItemError ??= error;
      return { ...base, response: '', prediction: null, valid: false, error };
    }
    usage = addUsage(usage, outcome.result.usage);
    if (outcome.result.cached) cachedCalls += 1;
    const extraction = extractPrediction(outcome.result.text, task, { scoring: request.scoring, example });
    return { ...base, response: outcome.result.text, ...extraction };
  });
  const totals = scoreItems(task, request.scoring, items, examples);

  const result: EvaluationResult = {
    id: `ev_${randomUUID()}`,
    taskId: request.taskId,
    split: request.split,
    model: request.model,
    metric: task.metric,
    score: totals.score,
    correct: totals.correct,
    n: items.length,
    usage,
    calls: outcomes.length,
    cachedCalls,
    systemPrompt: request.systemPrompt,
    userPrompt: request.userPrompt,
    ...(request.runId === undefined ? {} : { runId: request.runId }),
    scoring: request.scoring,
    formatFailures: totals.formatFailures,
    failedItems,
    ...(failedItemError === undefined ? {} : { failedItemError }),
    createdAt: new Date().toISOString(),
    items,
  };
  deps.store.insert({ ...result, request }, items);
  // Every item is stored either way; callers that only read scores skip carrying them back.
  return request.includeItems ? result : { ...result, items: [] };
}
