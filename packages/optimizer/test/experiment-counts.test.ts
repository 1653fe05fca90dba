import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { createDatasetsRouter, createDatasetsService } from '@metaspo/datasets';
import { createEvaluatorRouter, createEvaluatorService } from '@metaspo/evaluator';
import { createLlmGatewayService, createLlmRouter } from '@metaspo/llm-gateway';
import type { ExperimentPlan, ExperimentRecord } from '@metaspo/schemas';
import { createServiceClient } from '@metaspo/service-kit';
import { createAnswerKey, type SimServer, startSimServer } from '@metaspo/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import YAML from 'yaml';
import { createOptimizerService } from '../src/service.js';

const REPO_ROOT = path.resolve(import.meta.dirname, '../../..');
const SHARED_DATASETS = process.env.METASPO_SHARED_DATASETS ?? path.resolve(REPO_ROOT, '../shared/datasets');
const TASKS = [
  'proc_tracking_swaps',
  'proc_navigation',
  'proc_object_counting',
  'proc_date_arithmetic',
  'proc_boolean_expressions',
  'proc_arithmetic_word_problems',
];
/** Each model on its own simulator server, so each server's /stats counts one model's requests. */
const BASE = 'openai-compatible:default';
const OPTIMIZER = 'openai:default';

function paperSimConfig(): Record<string, unknown> {
  const config = YAML.parse(fs.readFileSync(path.join(REPO_ROOT, 'configs/paper-sim.yaml'), 'utf8'));
  return { ...config, baseModel: BASE, optimizerModel: OPTIMIZER };
}

interface SimPair {
  base: SimServer;
  optimizer: SimServer;
  env: NodeJS.ProcessEnv;
  close(): Promise<void>;
}

/** Two loopback simulator servers with no malformed replies, and the env that reaches them. */
async function startSimPair(): Promise<SimPair> {
  const datasets = createDatasetsService({ databaseFile: ':memory:' });
  const answerKey = createAnswerKey(datasets.answerKey(TASKS));
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
    close: async () => {
      await Promise.all([base.close(), optimizer.close()]);
    },
  };
}

/** The four services on SQLite files, the gateway reaching the two simulator servers over HTTP. */
async function services(sims: SimPair) {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-counts-'));
  const file = (name: string) => path.join(dir, `${name}.sqlite`);
  const datasetsService = createDatasetsService({ databaseFile: file('datasets') });
  await datasetsService.fetch({ taskIds: ['navigate'], from: SHARED_DATASETS });
  const datasets = createServiceClient({ router: createDatasetsRouter(datasetsService) });
  const gateway = createLlmGatewayService({
    databaseFile: file('llm'),
    config: { concurrency: 16 },
    env: sims.env,
  });
  const llm = createServiceClient({ router: createLlmRouter(gateway) });
  const evaluatorService = createEvaluatorService({ databaseFile: file('evaluator'), llm, datasets });
  const evaluator = createServiceClient({ router: createEvaluatorRouter(evaluatorService) });
  const optimizer = createOptimizerService({ databaseFile: file('optimizer'), llm, evaluator, datasets });
  return {
    optimizer,
    llm,
    async close() {
      await optimizer.close();
      evaluatorService.close();
      await gateway.close();
      datasetsService.close();
    },
  };
}

/** The plan's rows summed per (cell, model): requests it sends and whether all are exact. */
function plannedPerCell(plan: ExperimentPlan) {
  const out = new Map<string, { requests: number; exact: boolean }>();
  for (const row of plan.rows) {
    const key = `${row.cell}|${row.model}`;
    const entry = out.get(key) ?? { requests: 0, exact: true };
    entry.requests += row.requests;
    entry.exact &&= row.bound === 'exact';
    out.set(key, entry);
  }
  return out;
}

describe('configs/paper-sim.yaml: the plan against what the simulator servers receive', () => {
  let sims: SimPair;
  let platform: Awaited<ReturnType<typeof services>>;
  let plan: ExperimentPlan;
  let sentDuringPlan: number;
  let record: ExperimentRecord;
  const sent = () => ({ [BASE]: sims.base.stats().requests, [OPTIMIZER]: sims.optimizer.stats().requests });

  beforeAll(async () => {
    sims = await startSimPair();
    platform = await services(sims);
    plan = await platform.optimizer.experiments.plan(paperSimConfig());
    sentDuringPlan = sims.base.stats().requests + sims.optimizer.stats().requests;
    const created = await platform.optimizer.experiments.create(paperSimConfig());
    platform.optimizer.experiments.start(created.id);
    record = await platform.optimizer.experiments.wait(created.id);
  }, 300_000);

  afterAll(async () => {
    await platform?.close();
    await sims?.close();
  });

  it('plans without a request, then sends the optimizer exactly its planned requests', () => {
    expect(sentDuringPlan).toBe(0);
    expect(record.status).toBe('completed');
    const optimizer = plan.models.find((m) => m.model === OPTIMIZER);
    expect(optimizer?.bound).toBe('exact');
    expect(sent()[OPTIMIZER]).toBe(optimizer?.requests);
  });

  it('pays every cell exactly its planned requests where the plan says exact, shared work counted once', async () => {
    const planned = plannedPerCell(plan);
    let exactCells = 0;
    const paidBy = new Map<string, number>();
    for (const cell of record.cells) {
      const usage = await platform.llm.usage.query({ runId: (cell.runId ?? cell.metaTestId) as string });
      for (const { model, paidCalls } of usage.byModel) {
        paidBy.set(model, (paidBy.get(model) ?? 0) + paidCalls);
        const expected = planned.get(`${cell.key}|${model}`);
        expect(expected, `${cell.key} ${model}`).toBeDefined();
        if (expected?.exact) {
          expect(paidCalls, `${cell.key} ${model}`).toBe(expected.requests);
          exactCells += 1;
        }
      }
    }
    // Per domain: 4 trained methods x 2 models (SPRIG's base count is a bound), unseen and
    // adapt's optimizer requests (their base requests evaluate trained or generated prompts).
    expect(exactCells).toBe(2 * (4 * 2 - 1 + 2));
    expect(paidBy.get(BASE)).toBe(sent()[BASE]);
    expect(paidBy.get(OPTIMIZER)).toBe(sent()[OPTIMIZER]);
  });

  it('falls short of an upper bound only by whole evaluations the method skips', async () => {
    const config = paperSimConfig() as { run: { trainSize: number; testSize: number } };
    const planned = plannedPerCell(plan);
    let shortfall = 0;
    for (const cell of record.cells) {
      const expected = planned.get(`${cell.key}|${BASE}`);
      if (!expected || expected.exact) continue;
      const usage = await platform.llm.usage.query({ runId: (cell.runId ?? cell.metaTestId) as string });
      const paid = usage.byModel.find((m) => m.model === BASE)?.paidCalls ?? 0;
      const missing = expected.requests - paid;
      expect(missing, cell.key).toBeGreaterThanOrEqual(0);
      // SPRIG skips a repeated prompt (T x n requests); ProTeGi tests a re-kept node once, and a
      // prompt a meta-test compares twice is evaluated once (m requests per user prompt).
      const unit = cell.kind === 'train' ? 2 * config.run.trainSize : config.run.testSize;
      expect(missing % unit, cell.key).toBe(0);
      shortfall += missing;
    }
    const base = plan.models.find((m) => m.model === BASE);
    expect(sent()[BASE]).toBe((base?.requests ?? 0) - shortfall);
  });
});
