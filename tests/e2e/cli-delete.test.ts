import fs from 'node:fs';
import { afterAll, describe, expect, it } from 'vitest';
import { cliEnv, runCli, tempDir } from '../support/cli-process.js';

describe('metaspo runs delete / meta-test delete (real processes)', () => {
  const dataDir = tempDir('delete');
  const env = cliEnv({ METASPO_DATA_DIR: dataDir });
  afterAll(() => fs.rmSync(dataDir, { recursive: true, force: true }));

  it('removes a finished run and its meta-test; the cache still answers a rerun', async () => {
    const train = await runCli(['train', '--config', 'configs/quick.yaml', '--json'], env);
    expect(train.code, train.stderr).toBe(0);
    const first = JSON.parse(train.stdout);
    const runId: string = first.runId;
    const metaTest = await runCli(
      ['meta-test', 'unseen', '--run', runId, '--tasks', 'proc_word_sorting', '--json'],
      env,
    );
    expect(metaTest.code, metaTest.stderr).toBe(0);
    const metaTestId: string = JSON.parse(metaTest.stdout).id;

    const removedTest = await runCli(['meta-test', 'delete', metaTestId, '--json'], env);
    expect(removedTest.code, removedTest.stderr).toBe(0);
    expect(JSON.parse(removedTest.stdout)).toMatchObject({ id: metaTestId, deleted: true });

    const removed = await runCli(['runs', 'delete', runId], env);
    expect(removed.code, removed.stderr).toBe(0);
    expect(removed.stdout).toMatch(new RegExp(`^run ${runId} deleted \\(\\d+ nodes, \\d+ events\\)`));

    const shown = await runCli(['runs', 'show', runId], env);
    expect(shown.code).not.toBe(0);
    expect(shown.stderr).toContain(runId);
    const again = await runCli(['runs', 'delete', runId], env);
    expect(again.code).not.toBe(0);

    // The deleted run's calls stay in the cache: the same config again is served from it.
    const rerun = await runCli(['train', '--config', 'configs/quick.yaml', '--json'], env);
    expect(rerun.code, rerun.stderr).toBe(0);
    const second = JSON.parse(rerun.stdout);
    expect(second.runId).not.toBe(runId);
    expect(second.optimizedSystemPrompt).toBe(first.optimizedSystemPrompt);
    expect(second.calls.cached).toBe(
      second.calls.baseTrain + second.calls.baseTest + second.calls.optimizer + second.calls.optimizerRetries,
    );
  }, 240_000);
});
