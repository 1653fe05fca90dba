import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatasetsRouter, createDatasetsService, type ProceduralCatalog } from '@metaspo/datasets';
import { createEvaluatorRouter, createEvaluatorService, type EvaluatorRouter } from '@metaspo/evaluator';
import { createLlmGatewayService, createLlmRouter, type LlmRouter } from '@metaspo/llm-gateway';
import type { DatasetsClient, LlmClient } from '@metaspo/schemas';
import { createServiceClient } from '@metaspo/service-kit';
import {
  AnswerKeys,
  createAnswerKey,
  createSimProviderFactory,
  type SimServer,
  startSimServer,
} from '@metaspo/simulator';

const COLOURS = ['red', 'green', 'blue', 'yellow'];

/**
 * Small procedural tasks, one per closed answer type plus free text, so the real datasets
 * service serves them without any download.
 */
export const MIXED_CATALOG: ProceduralCatalog = {
  tasks: [
    {
      spec: {
        id: 'proc_eval_colour',
        domain: 'procedural',
        description: 'Pick the colour named in the sentence.',
        initialUserPrompt: 'Which colour is named? {question}',
        answerType: { kind: 'option', optionCount: 4 },
        metric: 'accuracy',
        importer: 'procedural',
      },
      generate: (seed, count) =>
        Array.from({ length: count }, (_, i) => {
          const colour = (seed + i * 7) % 4;
          const options = COLOURS;
          return {
            question: `Item ${seed}-${i}: the ball is ${COLOURS[colour]}.\n(A) red (B) green (C) blue (D) yellow`,
            answer: 'ABCD'[colour]!,
            options,
          };
        }),
    },
    {
      spec: {
        id: 'proc_eval_sum',
        domain: 'procedural',
        description: 'Add two numbers.',
        initialUserPrompt: 'Compute: {question}',
        answerType: { kind: 'integer' },
        metric: 'accuracy',
        importer: 'procedural',
      },
      generate: (seed, count) =>
        Array.from({ length: count }, (_, i) => ({
          question: `Case ${seed}-${i}: what is ${i} plus ${seed % 13}?`,
          answer: String(i + (seed % 13)),
        })),
    },
    {
      spec: {
        id: 'proc_eval_even',
        domain: 'procedural',
        description: 'Say whether a number is even.',
        initialUserPrompt: 'Answer yes or no. {question}',
        answerType: { kind: 'yes-no' },
        metric: 'macro-f1',
        importer: 'procedural',
      },
      generate: (seed, count) =>
        Array.from({ length: count }, (_, i) => ({
          question: `Check ${seed}-${i}: is ${seed + i * 3} even?`,
          answer: (seed + i * 3) % 2 === 0 ? 'yes' : 'no',
        })),
    },
    {
      spec: {
        id: 'proc_eval_capital',
        domain: 'procedural',
        description: 'Repeat the word in quotes.',
        initialUserPrompt: 'Repeat the quoted word. {question}',
        answerType: { kind: 'free-text' },
        metric: 'exact-match',
        importer: 'procedural',
      },
      generate: (seed, count) =>
        Array.from({ length: count }, (_, i) => ({
          question: `Echo ${seed}-${i}: "word${(seed * 31 + i) % 997}"`,
          answer: `word${(seed * 31 + i) % 997}`,
          acceptedAnswers: [`Word ${(seed * 31 + i) % 997}`],
        })),
    },
  ],
  split: { train: ['proc_eval_colour', 'proc_eval_sum'], test: ['proc_eval_even', 'proc_eval_capital'] },
  sizes: { train: 120, test: 120, trainSeed: 11, testSeed: 12 },
};
export const MIXED_TASK_IDS = MIXED_CATALOG.tasks.map((t) => t.spec.id);

export interface RealStack {
  datasets: DatasetsClient;
  llm: LlmClient;
  evaluator: ReturnType<typeof createServiceClient<EvaluatorRouter>>;
  sim: SimServer;
  close(): Promise<void>;
}

/**
 * The real datasets, gateway and evaluator services composed in one process through
 * in-process tRPC clients, plus a loopback simulator server that the gateway's `openai:`
 * provider talks to over HTTP. The datasets service serves `catalog` (the mixed tasks by default).
 */
export async function startRealStack(catalog: ProceduralCatalog = MIXED_CATALOG): Promise<RealStack> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'evaluator-stack-'));
  const datasetsService = createDatasetsService({
    databaseFile: path.join(dir, 'datasets.sqlite'),
    procedural: catalog,
  });
  const datasets = createServiceClient({ router: createDatasetsRouter(datasetsService) });
  const taskIds = catalog.tasks.map((t) => t.spec.id);
  const answerKey = createAnswerKey(await datasets.answerKey.query({ taskIds }));
  const sim = await startSimServer({ port: 0, answerKey });
  const gateway = createLlmGatewayService({
    databaseFile: path.join(dir, 'gateway.sqlite'),
    providers: [createSimProviderFactory({ answerKeys: new AnswerKeys(answerKey) })],
    env: { OPENAI_API_KEY: 'test', OPENAI_BASE_URL: `${sim.url}/v1` },
  });
  const llm = createServiceClient<LlmRouter>({ router: createLlmRouter(gateway) });
  const evaluatorService = createEvaluatorService({
    databaseFile: path.join(dir, 'evaluator.sqlite'),
    llm,
    datasets,
  });
  const evaluator = createServiceClient<EvaluatorRouter>({ router: createEvaluatorRouter(evaluatorService) });
  return {
    datasets,
    llm,
    evaluator,
    sim,
    async close() {
      evaluatorService.close();
      await gateway.close();
      datasetsService.close();
      await sim.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
