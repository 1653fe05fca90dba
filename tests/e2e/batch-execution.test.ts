import fs from 'node:fs';
import path from 'node:path';
import type { MetaTestRecord, RunExport, RunRecord, UsageReport } from '@metaspo/schemas';
import type { SimServerStats } from '@metaspo/simulator';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, runCliJson, startCli, tempDir } from '../support/cli-process.js';
import { proceduralSplit, type SimProcess, startSimProcess } from '../support/sim-process.js';

/**
 * Base model and optimizer are two models of the simulator's OpenAI server, priced apart, so the
 * ledger's per-model rows show the base model's batch price beside the optimizer's live one.
 */
const RUN_CONFIG = `name: batch-e2e
method: metaspo
metaTrainTasks: [proc_tracking_swaps, proc_navigation]
iterations: 1
numSystemCandidates: 2
numUserCandidates: 2
userTopK: 2
trainSize: 10
testSize: 10
baseModel: openai:weak
optimizerModel: openai:default
`;

const BASE_PRICE = { input: 1, output: 2 };
const PLATFORM_CONFIG = `llm:
  prices:
    openai:weak: { input: ${BASE_PRICE.input}, output: ${BASE_PRICE.output} }
    openai:default: { input: 4, output: 8 }
  batch: { gatherMs: 400, pollInitialMs: 50, pollMaxMs: 200 }
`;

interface Run {
  record: RunRecord;
  nodes: RunExport['nodes'];
  usage: UsageReport;
}

/** The calls of one run as the simulator counted them: live chat completions, batches, lines. */
interface Sent {
  requests: number;
  batches: number;
  lines: number;
}

const sentBetween = (before: SimServerStats, after: SimServerStats): Sent => ({
  requests: after.requests - before.requests,
  batches: after.batches.batches - before.batches.batches,
  lines: after.batches.lines - before.batches.lines,
});

/**
 * Evaluation waves of a run: the (phase, iteration) groups of its nodes scored on train, then
 * the test scoring of the nodes it kept. Each wave's evaluations start together (a phase's
 * candidates are generated in parallel), so their lines are gathered into one batch.
 */
function evaluationWaves(nodes: RunExport['nodes']): string[] {
  const train = nodes.filter((node) => node.trainScore !== null).map((n) => `${n.phase}:${n.iteration}`);
  const test = nodes.some((node) => node.testScore !== null) ? ['test'] : [];
  return [...new Set(train), ...test];
}

describe('execution: batch against the simulator over loopback HTTP', () => {
  const dir = tempDir('batch-exec');
  const runConfig = path.join(dir, 'run.yaml');
  const platformConfig = path.join(dir, 'metaspo.yaml');
  fs.writeFileSync(runConfig, RUN_CONFIG);
  fs.writeFileSync(platformConfig, PLATFORM_CONFIG);
  let sim: SimProcess;
  let env: NodeJS.ProcessEnv;
  let live: Run;
  let batch: Run & { sent: Sent };
  let liveSent: Sent;

  const cli = (dataDir: string, args: string[]) => [
    '--data-dir',
    path.join(dir, dataDir),
    '--platform-config',
    platformConfig,
    ...args,
  ];
  const train = async (dataDir: string, extra: string[]): Promise<Run> => {
    const summary = await runCliJson<{ runId: string; status: string }>(
      cli(dataDir, ['train', '--config', runConfig, '--json', ...extra]),
      env,
    );
    expect(summary.status).toBe('completed');
    return shown(dataDir, summary.runId);
  };
  const shown = async (dataDir: string, runId: string, target = env): Promise<Run> => {
    const exported = await runCliJson<RunExport>(cli(dataDir, ['runs', 'export', runId]), target);
    const usage = await runCliJson<UsageReport>(cli(dataDir, ['usage', '--run', runId, '--json']), target);
    return { record: exported.run, nodes: exported.nodes, usage };
  };

  beforeAll(async () => {
    sim = await startSimProcess({ dataDir: path.join(dir, 'sim'), latencyMs: 1, batchDelayMs: 300 });
    env = cliEnv({ OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'sk-test-batch-e2e-key' });
    const start = await sim.stats();
    live = await train('live', []);
    const afterLive = await sim.stats();
    liveSent = sentBetween(start, afterLive);
    const batchRun = await train('batch', ['--execution', 'batch']);
    batch = { ...batchRun, sent: sentBetween(afterLive, await sim.stats()) };
  });
  afterAll(async () => {
    await sim?.close();
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('gives the optimized prompt, scores and call counts of the same config run live', () => {
    expect(batch.record.config.execution).toBe('batch');
    expect(live.record.config.execution).toBe('live');
    expect(batch.record.result?.optimizedSystemPrompt).toBe(live.record.result?.optimizedSystemPrompt);
    expect(batch.record.result?.scores).toEqual(live.record.result?.scores);
    expect(batch.record.result?.calls).toEqual(live.record.result?.calls);
  });

  it('sends every base-model request in a batch, one submission per evaluation wave, the optimizer live', () => {
    expect(liveSent.batches).toBe(0);
    const waves = evaluationWaves(batch.nodes);
    expect(waves).toEqual(['initial:0', 'inner:1', 'outer:1', 'test']);
    expect(batch.sent.batches).toBe(waves.length);
    const optimizerCalls = live.usage.byModel.find((m) => m.model === 'openai:default')!.paidCalls;
    expect(batch.sent.requests).toBe(optimizerCalls);
    expect(batch.sent.lines + batch.sent.requests).toBe(liveSent.requests);
  });

  it('records the base model at the batch price (half), the optimizer at the live one, and the saving', () => {
    const model = (run: Run, name: string) => run.usage.byModel.find((m) => m.model === name)!;
    const liveBase = model(live, 'openai:weak');
    const batchBase = model(batch, 'openai:weak');
    expect(batchBase.promptTokens).toBe(liveBase.promptTokens);
    expect(batchBase.completionTokens).toBe(liveBase.completionTokens);
    const liveCost =
      (liveBase.promptTokens * BASE_PRICE.input + liveBase.completionTokens * BASE_PRICE.output) / 1e6;
    expect(liveBase.costUsd).toBeCloseTo(liveCost, 12);
    expect(batchBase.costUsd).toBeCloseTo(liveCost / 2, 12);
    expect(batchBase.savedUsd).toBeCloseTo(liveCost / 2, 12);
    expect(liveBase.savedUsd).toBe(0);
    expect(model(batch, 'openai:default').costUsd).toBeCloseTo(model(live, 'openai:default').costUsd!, 12);
    expect(batch.usage.totals.savedUsd).toBeCloseTo(liveCost / 2, 12);
  });

  it('says what batch execution saved in metaspo usage', async () => {
    const text = await runCli(cli('batch', ['usage', '--run', batch.record.id]), env);
    expect(text.code, text.stderr).toBe(0);
    const saved = /batch execution saved \$(\d+\.\d+) against live prices/.exec(text.stdout)?.[1];
    expect(Number(saved)).toBeCloseTo(batch.usage.totals.savedUsd!, 5);
    const liveText = await runCli(cli('live', ['usage', '--run', live.record.id]), env);
    expect(liveText.stdout).not.toContain('batch execution saved');
  });

  it("sends a meta-test's cells through the batch API with --execution batch, with the live meta-test's result", async () => {
    const unseen = async (dataDir: string, runId: string, extra: string[]) => {
      const args = [
        'meta-test',
        'unseen',
        '--run',
        runId,
        '--tasks',
        proceduralSplit().test.slice(0, 2).join(','),
      ];
      const record = await runCliJson<MetaTestRecord>(
        cli(dataDir, [
          ...args,
          '--test-size',
          '10',
          '--user-prompt-count',
          '2',
          '--no-fixed',
          '--json',
          ...extra,
        ]),
        env,
      );
      expect(record.status).toBe('completed');
      return record;
    };
    const liveMetaTest = await unseen('live', live.record.id, []);
    const before = await sim.stats();
    const batchMetaTest = await unseen('batch', batch.record.id, ['--execution', 'batch']);
    const sent = sentBetween(before, await sim.stats());
    expect(batchMetaTest.unseen).toEqual(liveMetaTest.unseen);
    expect(sent.batches).toBeGreaterThan(0);
    // 2 tasks x 2 user prompts x the optimized system prompt (no fixed ones), 10 questions each.
    expect(batchMetaTest.systemPrompts.map((p) => p.label)).toEqual(['optimized']);
    expect(sent.lines).toBe(40);
  });

  it('kill -9 of the CLI while a batch is pending, then runs resume: that batch is never submitted again', async () => {
    // A batch the provider takes seconds to answer, so the kill lands while it is pending.
    const slow = await startSimProcess({
      dataDir: path.join(dir, 'slow-sim'),
      latencyMs: 1,
      batchDelayMs: 3_000,
    });
    try {
      const slowEnv = cliEnv({
        OPENAI_BASE_URL: `${slow.url}/v1`,
        OPENAI_API_KEY: 'sk-test-batch-e2e-key',
        METASPO_LEASE_HEARTBEAT_MS: '200',
        METASPO_LEASE_EXPIRY_MS: '1000',
      });
      const killed = startCli(
        cli('killed', ['train', '--config', runConfig, '--execution', 'batch']),
        slowEnv,
      );
      await killed.waitForStderr(/waiting on 1 batch: \d+\/\d+ lines done/);
      const atKill = await slow.stats();
      expect(atKill.batches.batches).toBe(1);
      killed.child.kill('SIGKILL');
      await killed.result;
      const runId = /^run (run_\S+) started/m.exec(killed.stderr())?.[1];
      expect(runId, killed.stderr()).toBeDefined();

      // The dead process's lease expires, then the run is resumed from its store.
      await new Promise((resolve) => setTimeout(resolve, 1_500));
      const resumed = await runCli(cli('killed', ['runs', 'resume', runId!]), slowEnv, 180_000);
      expect(resumed.code, resumed.stderr).toBe(0);
      const after = await slow.stats();
      // The whole run, across both processes, submitted what the uninterrupted batch run did.
      expect(after.batches.batches).toBe(batch.sent.batches);
      expect(after.batches.lines).toBe(batch.sent.lines);
      expect(after.requests).toBe(batch.sent.requests);

      const run = await shown('killed', runId!, slowEnv);
      expect(run.record.status).toBe('completed');
      expect(run.record.result?.optimizedSystemPrompt).toBe(live.record.result?.optimizedSystemPrompt);
      expect(run.record.result?.scores).toEqual(live.record.result?.scores);
    } finally {
      await slow.close();
    }
  });
});
