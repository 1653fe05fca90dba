import { type CompletionRequest, CompletionRequestSchema, type GatewayConfigInput } from '@metaspo/schemas';
import type { Logger } from '@metaspo/service-kit';
import { createAnswerKey, SYNTHETIC_TASKS, syntheticEntries } from '@metaspo/simulator';
import { createLlmGatewayService } from '../src/service.js';

// No vitest import here (helpers.ts registers hooks): a child process loads this file too.
/** A key-shaped value the simulator accepts; never a real key. */
export const BATCH_TEST_KEY = 'sk-test-batch-0000000000';

const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 8));
export const BATCH_ANSWER_KEY = createAnswerKey(entries);

/** A live price for the simulator's model, so the ledger can show batch prices (50% at OpenAI). */
export const SIM_PRICE = { input: 1, output: 2 };

/** Evaluation-shaped requests: one per question, the same system prompt, temperature 0. */
export function evaluationRequests(model: string, count: number, runId: string): CompletionRequest[] {
  return entries.slice(0, count).map((entry) =>
    CompletionRequestSchema.parse({
      model,
      runId,
      tag: 'base',
      messages: [
        { role: 'system', content: 'You are a careful assistant.' },
        { role: 'user', content: `<Question>${entry.question}</Question>\nAnswer inside <answer></answer>.` },
      ],
    }),
  );
}

export function batchConfig(simUrl: string, batch: GatewayConfigInput['batch'] = {}): GatewayConfigInput {
  return {
    prices: { 'openai:default': SIM_PRICE, 'anthropic:default': SIM_PRICE },
    batch: { gatherMs: 30, pollInitialMs: 40, pollMaxMs: 200, ...batch },
    retries: { maxAttempts: 2, baseDelayMs: 10, maxDelayMs: 50, timeoutRetries: 0 },
    providers: { openai: { baseUrl: `${simUrl}/v1` }, anthropic: { baseUrl: `${simUrl}/v1` } },
  };
}

export function batchGateway(
  simUrl: string,
  databaseFile: string,
  batch: GatewayConfigInput['batch'] = {},
  logger?: Logger,
) {
  return createLlmGatewayService({
    databaseFile,
    config: batchConfig(simUrl, batch),
    env: { OPENAI_API_KEY: BATCH_TEST_KEY, ANTHROPIC_API_KEY: BATCH_TEST_KEY },
    ...(logger ? { logger } : {}),
  });
}
