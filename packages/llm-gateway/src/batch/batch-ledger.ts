import { randomUUID } from 'node:crypto';
import type { CompletionOutcome, CompletionRequest, ProviderCallOutput } from '@metaspo/schemas';
import type { Ledger } from '../store/ledger.js';
import type { LineEnd } from './line-wait.js';

/**
 * The one paid ledger row of an answered batch line, at the batch price, with what the live
 * price would have cost more (`savedUsd`); returns its call id.
 */
export function recordBatchAnswer(
  ledger: Ledger,
  line: { runId: string | null; tag: string | null; provider: string; model: string },
  output: ProviderCallOutput,
  latencyMs: number,
  { costUsd, savedUsd }: { costUsd: number | null; savedUsd: number },
): string {
  const callId = randomUUID();
  ledger.record({
    callId,
    runId: line.runId ?? undefined,
    tag: line.tag ?? undefined,
    provider: line.provider,
    model: line.model,
    cached: false,
    promptTokens: output.usage.promptTokens,
    completionTokens: output.usage.completionTokens,
    latencyMs,
    costUsd,
    errorKind: undefined,
    unansweredAttempts: 0,
    savedUsd,
  });
  return callId;
}

/**
 * A request's outcome from its line's answer: the first request to take it is the paid row's;
 * any other asking for the same key got it for free, as a coalesced live call does (a cached row).
 */
export function answeredOutcome(
  ledger: Ledger,
  request: CompletionRequest,
  provider: string,
  end: Extract<LineEnd, { kind: 'answered' }>,
  paid: boolean,
): CompletionOutcome {
  const callId = paid ? end.callId : randomUUID();
  if (!paid) {
    ledger.record({
      callId,
      runId: request.runId,
      tag: request.tag,
      provider,
      model: request.model,
      cached: true,
      promptTokens: end.output.usage.promptTokens,
      completionTokens: end.output.usage.completionTokens,
      latencyMs: 0,
      costUsd: 0,
      errorKind: undefined,
      unansweredAttempts: 0,
    });
  }
  return {
    ok: true,
    result: {
      callId,
      model: request.model,
      text: end.output.text,
      usage: end.output.usage,
      finishReason: end.output.finishReason,
      cached: !paid,
      latencyMs: paid ? end.latencyMs : 0,
      costUsd: paid ? end.costUsd : 0,
    },
  };
}
