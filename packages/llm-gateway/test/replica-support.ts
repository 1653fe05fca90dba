import { type CompletionRequest, CompletionRequestSchema, type GatewayConfigInput } from '@metaspo/schemas';
import { createAnswerKey, SYNTHETIC_TASKS, syntheticEntries } from '@metaspo/simulator';
import { createLlmGatewayService } from '../src/service.js';

// No vitest import here: the replica server fixture, a child process, loads this file too.
const entries = SYNTHETIC_TASKS.flatMap((task) => syntheticEntries(task, 40));
/** Every replica answers from the same key: replicas serve the same model. */
export const REPLICA_ANSWER_KEY = createAnswerKey(entries);

export const REPLICA_MODEL = 'openai-compatible@pool:default';

/** Evaluation-shaped requests over the key's questions, `count` of them (questions repeat with other seeds). */
export function replicaRequests(count: number, label: string): CompletionRequest[] {
  return Array.from({ length: count }, (_, i) => {
    const entry = entries[i % entries.length]!;
    return CompletionRequestSchema.parse({
      model: REPLICA_MODEL,
      tag: 'base',
      seed: Math.floor(i / entries.length),
      messages: [
        { role: 'system', content: `You are a careful assistant (${label}).` },
        { role: 'user', content: `<Question>${entry.question}</Question>\nAnswer inside <answer></answer>.` },
      ],
    });
  });
}

/** Test-sized back-off and retries: a dead replica costs a few ms per retried call, not seconds. */
export function poolConfig(
  endpoint: NonNullable<GatewayConfigInput['endpoints']>[string],
  failover: GatewayConfigInput['failover'] = {},
): GatewayConfigInput {
  return {
    endpoints: { pool: endpoint },
    retries: { maxAttempts: 5, baseDelayMs: 5, maxDelayMs: 40, timeoutRetries: 0 },
    failover: { failures: 3, probeInitialMs: 100, probeMaxMs: 400, ...failover },
  };
}

export function poolGateway(databaseFile: string, config: GatewayConfigInput) {
  return createLlmGatewayService({ databaseFile, config, env: {} });
}

export const textsOf = (outcomes: Array<{ ok: boolean; result?: { text: string } }>) =>
  outcomes.map((o) => o.result?.text);
