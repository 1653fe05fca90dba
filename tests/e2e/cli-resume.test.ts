import fs from 'node:fs';
import path from 'node:path';
import type { RunRecord } from '@metaspo/schemas';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import {
  cliEnv,
  runCli,
  runCliJson,
  type ServeProcess,
  startCli,
  startServeProcess,
  tempDir,
} from '../support/cli-process.js';
import { type SimProcess, startSimProcess } from '../support/sim-process.js';

interface TrainSummary {
  runId: string;
  status: string;
  optimizedSystemPrompt: string | null;
  scores: { initial: number; final: number } | null;
}

/**
 * The model is the simulator behind its OpenAI-compatible loopback server, answering after a few
 * milliseconds: a run of ~1,200 requests at concurrency 2 lasts seconds, so a SIGINT sent at its
 * first progress line lands mid-run on a loaded machine too.
 */
const CONFIG = `name: interrupted
method: metaspo
metaTrainTasks: [proc_tracking_swaps, proc_navigation]
iterations: 2
numSystemCandidates: 3
numUserCandidates: 2
userTopK: 2
trainSize: 30
testSize: 40
baseModel: openai:default
optimizerModel: openai:default
concurrency: 2
`;

/**
 * Ctrl-C during `metaspo train`, then `metaspo runs resume ID`, in real processes: the resumed
 * run is followed to its end (exit 0) and ends with the result of a run never interrupted.
 */
describe('metaspo runs resume after SIGINT', () => {
  const dir = tempDir('cli-resume');
  const config = path.join(dir, 'run.yaml');
  fs.writeFileSync(config, CONFIG);
  let server: ServeProcess | undefined;
  let sim: SimProcess;
  let env: NodeJS.ProcessEnv;
  let uninterrupted: TrainSummary | undefined;

  beforeAll(async () => {
    // Each answer a few milliseconds late, so the interrupted run is caught mid-way.
    sim = await startSimProcess({ dataDir: path.join(dir, 'sim'), latencyMs: 4 });
    env = cliEnv({ OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'sk-test-cli-resume-key' });
  });

  afterAll(async () => {
    await server?.stop();
    await sim?.close();
  });

  const reference = async () => {
    uninterrupted ??= await runCliJson<TrainSummary>(
      ['--data-dir', path.join(dir, 'uninterrupted'), 'train', '--config', config, '--json'],
      env,
    );
    expect(uninterrupted.status).toBe('completed');
    return uninterrupted;
  };

  /** Starts `train`, sends SIGINT once the outer loop has begun, returns the cancelled run's id. */
  const interruptedTrain = async (target: string[]) => {
    const train = startCli([...target, 'train', '--config', config], env);
    await train.waitForStderr(/^inner iteration 1 /m);
    train.child.kill('SIGINT');
    const ended = await train.result;
    expect(ended.code).toBe(1);
    expect(ended.stderr).toMatch(/cancelling run (run_\S+) \(resume with: metaspo runs resume \1\)/);
    const runId = /^run (run_\S+)\s+cancelled/m.exec(ended.stdout)?.[1];
    expect(runId, ended.stdout).toBeDefined();
    return runId!;
  };

  const resumeAndCompare = async (target: string[], runId: string) => {
    const resumed = await runCli([...target, 'runs', 'resume', runId], env);
    expect(resumed.code, resumed.stderr).toBe(0);
    expect(resumed.stdout).toMatch(new RegExp(`^run ${runId}\\s+completed`));
    const shown = await runCliJson<RunRecord>([...target, 'runs', 'show', runId, '--json'], env);
    const expected = await reference();
    expect(shown.status).toBe('completed');
    expect(shown.result?.optimizedSystemPrompt).toBe(expected.optimizedSystemPrompt);
    expect({ initial: shown.result?.scores.initial, final: shown.result?.scores.final }).toEqual(
      expected.scores,
    );
  };

  it('in-process: the resumed run completes with exit 0 and the uninterrupted result', async () => {
    const target = ['--data-dir', path.join(dir, 'local')];
    const runId = await interruptedTrain(target);
    const cancelled = await runCliJson<RunRecord>([...target, 'runs', 'show', runId, '--json'], env);
    expect(cancelled.status).toBe('cancelled');
    await resumeAndCompare(target, runId);
  }, 180_000);

  it('against metaspo serve: the same, through --server', async () => {
    server = await startServeProcess(['--data-dir', path.join(dir, 'served')], env);
    const target = ['--server', server.url];
    const runId = await interruptedTrain(target);
    await resumeAndCompare(target, runId);
  }, 180_000);
});
