import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cliEnv, runCliJson, type ServeProcess, startServeProcess, tempDir } from '../support/cli-process.js';
import { proceduralSplit, type SimProcess, startSimProcess } from '../support/sim-process.js';

interface TrainSummary {
  runId: string;
  status: string;
  optimizedSystemPrompt: string;
  scores: { initial: number; final: number };
  calls: { baseTrain: number; baseTest: number; optimizer: number; optimizerRetries: number; cached: number };
}

/**
 * The same code runs as one process or as four: the four services on their own loopback
 * ports, the simulator as the model provider over HTTP, the CLI talking to them with --server.
 */
describe('split deployment', () => {
  const dir = tempDir('split');
  const processes: ServeProcess[] = [];
  let sim: SimProcess;
  let configFile: string;
  let modelEnv: Record<string, string>;

  beforeAll(async () => {
    sim = await startSimProcess({ dataDir: path.join(dir, 'sim') });
    modelEnv = { OPENAI_BASE_URL: `${sim.url}/v1`, OPENAI_API_KEY: 'sk-test-split-deployment-key' };
    configFile = path.join(dir, 'run.yaml');
    fs.writeFileSync(
      configFile,
      [
        'name: split-e2e',
        'method: metaspo',
        `metaTrainTasks: [${proceduralSplit().train.slice(0, 2).join(', ')}]`,
        'iterations: 1',
        'numSystemCandidates: 2',
        'numUserCandidates: 2',
        'userTopK: 2',
        'trainSize: 8',
        'testSize: 10',
        'baseModel: openai:default',
        'optimizerModel: openai:default',
        'concurrency: 16',
      ].join('\n'),
    );
  });

  afterAll(async () => {
    await Promise.all(processes.map((p) => p.stop()));
    await sim.close();
  });

  it('gives the same run result split over four processes as in one process', async () => {
    const start = async (service: string, extra: Record<string, string>) => {
      const proc = await startServeProcess(
        ['--data-dir', path.join(dir, service)],
        cliEnv({ ...modelEnv, ...extra }),
        ['--service', service],
      );
      processes.push(proc);
      return proc.url;
    };
    const datasetsUrl = await start('datasets', {});
    const llmUrl = await start('llm', { METASPO_DATASETS_URL: datasetsUrl });
    const evaluatorUrl = await start('evaluator', {
      METASPO_LLM_URL: llmUrl,
      METASPO_DATASETS_URL: datasetsUrl,
    });
    const optimizerUrl = await start('optimizer', {
      METASPO_LLM_URL: llmUrl,
      METASPO_DATASETS_URL: datasetsUrl,
      METASPO_EVALUATOR_URL: evaluatorUrl,
    });
    const splitEnv = cliEnv({
      ...modelEnv,
      METASPO_LLM_URL: llmUrl,
      METASPO_DATASETS_URL: datasetsUrl,
      METASPO_EVALUATOR_URL: evaluatorUrl,
    });
    await runCliJson(
      ['--server', optimizerUrl, 'datasets', 'fetch', '--domain', 'procedural', '--json'],
      splitEnv,
    );
    const split = await runCliJson<TrainSummary>(
      ['--server', optimizerUrl, 'train', '--config', configFile, '--json'],
      splitEnv,
    );

    const oneDir = path.join(dir, 'one-process');
    const oneEnv = cliEnv(modelEnv);
    await runCliJson(['--data-dir', oneDir, 'datasets', 'fetch', '--domain', 'procedural', '--json'], oneEnv);
    const together = await runCliJson<TrainSummary>(
      ['--data-dir', oneDir, 'train', '--config', configFile, '--json'],
      oneEnv,
    );

    expect(split.status).toBe('completed');
    expect(together.status).toBe('completed');
    expect(split.optimizedSystemPrompt).toBe(together.optimizedSystemPrompt);
    expect(split.scores).toEqual(together.scores);
    expect({ ...split.calls, cached: 0 }).toEqual({ ...together.calls, cached: 0 });
    // Every split-mode service kept its own database file.
    for (const [service, file] of [
      ['datasets', 'datasets.sqlite'],
      ['llm', 'llm.sqlite'],
      ['evaluator', 'evaluator.sqlite'],
      ['optimizer', 'optimizer.sqlite'],
    ]) {
      expect(fs.readdirSync(path.join(dir, service!)).filter((f) => f.endsWith('.sqlite'))).toEqual([file]);
    }
  });
});
