import {
  type CompletionOutcome,
  chatMessages,
  type EvaluationResult,
  type LlmClient,
  userMessage,
} from '@metaspo/schemas';
import { mapLimited } from '@metaspo/service-kit';

export interface EvaluatorThroughput {
  evaluations: number;
  items: number;
  seconds: number;
  itemsPerSecond: number;
}

export function throughputOf(evaluations: number, items: number, seconds: number): EvaluatorThroughput {
  return { evaluations, items, seconds, itemsPerSecond: items / seconds };
}

/** Answers every request instantly with the response the real gateway gave to the same message. */
export function replayingLlm(real: LlmClient, results: readonly EvaluationResult[]): LlmClient {
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
export async function measureGatewayAlone(
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
  const outcomes = await mapLimited(batches, concurrency, (requests) =>
    llm.completeBatch.mutate({ requests }),
  );
  const seconds = (performance.now() - started) / 1000;
  const items = outcomes.reduce((sum, batch) => sum + batch.outcomes.length, 0);
  return throughputOf(batches.length, items, seconds);
}
