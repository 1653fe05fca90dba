import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatasetsRouter, createDatasetsService } from '@metaspo/datasets';
import { createEvaluatorRouter, createEvaluatorService } from '@metaspo/evaluator';
import { createLlmGatewayService, createLlmRouter } from '@metaspo/llm-gateway';
import { createOptimizerRouter, createOptimizerService } from '@metaspo/optimizer';
import type {
  ChatMessage,
  DatasetsClient,
  EvaluationRequestInput,
  EvaluatorClient,
  LlmClient,
  ReferenceSystemPrompt,
  ReferenceUserPrompts,
} from '@metaspo/schemas';
import { createServiceClient } from '@metaspo/service-kit';
import { AnswerKeys, createAnswerKey, createSimProviderFactory } from '@metaspo/simulator';

/** The reference protocol files the fake registry pretends to have fetched. */
export interface FakeProtocol {
  systemPrompts: ReferenceSystemPrompt[];
  userPrompts: Record<string, string[]>;
}

export const FAKE_SOURCE = {
  repository: 'fake/reference',
  commit: '0'.repeat(40),
  path: 'prompts',
  sha256: '0'.repeat(64),
};

/**
 * The real services on SQLite files, wired like the platform's composition, with three seams a test can
 * look through: the datasets port answers `protocol` from `protocol` (the real registry holds
 * no reference files offline), and every evaluation request and optimizer message is recorded.
 */
export async function createRecordingPlatform(protocol: FakeProtocol) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-recording-'));
  const file = (name: string) => path.join(dir, `${name}.sqlite`);
  const datasetsService = createDatasetsService({ databaseFile: file('datasets') });
  const realDatasets = createServiceClient({ router: createDatasetsRouter(datasetsService) });
  const datasets: DatasetsClient = {
    tasks: realDatasets.tasks,
    domains: realDatasets.domains,
    sample: realDatasets.sample,
    answerKey: realDatasets.answerKey,
    protocol: {
      systemPrompts: { query: async () => protocol.systemPrompts },
      unseenUserPrompts: {
        query: async ({ taskId }): Promise<ReferenceUserPrompts | null> => {
          const prompts = protocol.userPrompts[taskId];
          return prompts ? { taskId, prompts, source: { ...FAKE_SOURCE, path: `up_${taskId}.json` } } : null;
        },
      },
      componentCorpus: { query: async () => null },
    },
  };
  const answerKeys = new AnswerKeys();
  const gateway = createLlmGatewayService({
    databaseFile: file('llm'),
    config: { concurrency: 64 },
    providers: [createSimProviderFactory({ answerKeys })],
  });
  const realLlm = createServiceClient({ router: createLlmRouter(gateway) });
  const optimizerRequests: Array<{ runId: string | undefined; messages: ChatMessage[] }> = [];
  const llm: LlmClient = {
    complete: {
      mutate: (input, opts) => {
        if (input.tag?.startsWith('optimizer:'))
          optimizerRequests.push({ runId: input.runId, messages: input.messages });
        return realLlm.complete.mutate(input, opts);
      },
    },
    completeBatch: realLlm.completeBatch,
    budgets: realLlm.budgets,
    cancelRun: realLlm.cancelRun,
    usage: realLlm.usage,
  };
  const split = await realDatasets.domains.get.query({ domain: 'procedural' });
  answerKeys.set(
    createAnswerKey(await realDatasets.answerKey.query({ taskIds: [...split.train, ...split.test] })),
  );
  const evaluatorService = createEvaluatorService({
    databaseFile: file('evaluator'),
    llm: realLlm,
    datasets,
  });
  const realEvaluator = createServiceClient({ router: createEvaluatorRouter(evaluatorService) });
  const evaluations: EvaluationRequestInput[] = [];
  const evaluator: EvaluatorClient = {
    evaluate: {
      mutate: (input, opts) => {
        evaluations.push(input);
        return realEvaluator.evaluate.mutate(input, opts);
      },
    },
    evaluateMany: {
      mutate: (input, opts) => {
        evaluations.push(...input.requests);
        return realEvaluator.evaluateMany.mutate(input, opts);
      },
    },
    wrongExamples: realEvaluator.wrongExamples,
    outcomes: realEvaluator.outcomes,
  };
  const optimizer = createOptimizerService({ databaseFile: file('optimizer'), llm, evaluator, datasets });
  const optimizerClient = createServiceClient({ router: createOptimizerRouter(optimizer) });
  return {
    optimizer,
    optimizerClient,
    split,
    evaluations,
    optimizerRequests,
    async close() {
      await optimizer.close();
      evaluatorService.close();
      await gateway.close();
      datasetsService.close();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
