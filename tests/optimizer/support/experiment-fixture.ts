import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createDatasetsService } from '@metaspo/datasets';
import { createAnswerKey, type SimServer, startSimServer } from '@metaspo/simulator';
import YAML from 'yaml';
import type { Platform, PlatformOptions } from './platform.js';
import { platformWithCorpus } from './sprig-fixture.js';

export const PAPER_SIM = fileURLToPath(new URL('../../../configs/paper-sim.yaml', import.meta.url));

/**
 * configs/paper-sim.yaml with its two models sent to two simulator HTTP servers, one per model,
 * so each server's /stats counts one model's requests: the base model as `openai-compatible`,
 * the optimizer as `openai`.
 */
export function paperSimConfig(overrides: Record<string, unknown> = {}): Record<string, unknown> {
  const config = YAML.parse(fs.readFileSync(PAPER_SIM, 'utf8')) as Record<string, unknown>;
  return {
    ...config,
    baseModel: 'openai-compatible:default',
    optimizerModel: 'openai:default',
    ...overrides,
  };
}

const EXPERIMENT_TASKS = [
  'proc_tracking_swaps',
  'proc_navigation',
  'proc_object_counting',
  'proc_date_arithmetic',
  'proc_boolean_expressions',
  'proc_arithmetic_word_problems',
];

export interface SimPair {
  base: SimServer;
  optimizer: SimServer;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Two simulator servers (no malformed replies, so the plan's counts are exact) and the env reaching them. */
export async function startSimPair(): Promise<SimPair> {
  const datasets = createDatasetsService({ databaseFile: ':memory:' });
  const answerKey = createAnswerKey(datasets.answerKey(EXPERIMENT_TASKS));
  datasets.close();
  const base = await startSimServer({ answerKey, malformedRate: 0 });
  const optimizer = await startSimServer({ answerKey, malformedRate: 0 });
  return {
    base,
    optimizer,
    env: {
      OPENAI_COMPATIBLE_BASE_URL: `${base.url}/v1`,
      OPENAI_BASE_URL: `${optimizer.url}/v1`,
      OPENAI_API_KEY: 'test',
    },
    async close() {
      await Promise.all([base.close(), optimizer.close()]);
    },
  };
}

export function experimentPlatform(
  sims: SimPair,
  options: Omit<PlatformOptions, 'dir' | 'env'> = {},
): Promise<Platform> {
  return platformWithCorpus({ env: sims.env, gateway: { concurrency: 16 }, ...options });
}
