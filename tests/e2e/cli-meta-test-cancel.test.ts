import path from 'node:path';
import type { MetaTestRecord } from '@metaspo/schemas';
import { afterAll, describe, expect, it } from 'vitest';
import {
  runCli,
  runCliJson,
  type ServeProcess,
  startCli,
  startServeProcess,
  tempDir,
} from '../support/cli-process.js';

/** Long enough on the simulator to be stopped while it runs. */
const LONG_UNSEEN = ['--domain', 'procedural', '--test-size', '300', '--user-prompt-count', '10'];

/** A running meta-test stops when asked, from another command or by Ctrl-C, and can be resumed. */
describe('metaspo meta-test cancel', () => {
  const dir = tempDir('cli-meta-test-cancel');
  let server: ServeProcess | undefined;

  afterAll(async () => {
    await server?.stop();
  });

  const trainedRun = async (target: string[]) =>
    (await runCliJson<{ runId: string }>([...target, 'train', '--config', 'configs/quick.yaml', '--json']))
      .runId;

  const startUnseen = async (target: string[], runId: string) => {
    const follower = startCli([...target, 'meta-test', 'unseen', '--run', runId, ...LONG_UNSEEN]);
    await follower.waitForStderr(/^meta-test mt_\S+ \(unseen\)/m);
    return follower;
  };

  it('through a server: `meta-test cancel ID` stops it, its follower exits 1 naming the status', async () => {
    server = await startServeProcess(['--data-dir', path.join(dir, 'served')]);
    const target = ['--server', server.url];
    const follower = await startUnseen(target, await trainedRun(target));
    const id = /^meta-test (mt_\S+) \(unseen\)/m.exec(follower.stderr())![1]!;
    const cancelled = await runCli([...target, 'meta-test', 'cancel', id]);
    expect(cancelled.code, cancelled.stderr).toBe(0);
    expect(cancelled.stdout).toBe(`meta-test ${id} cancelled\n`);
    const ended = await follower.result;
    expect(ended.code).toBe(1);
    expect(ended.stdout).toMatch(new RegExp(`^meta-test ${id} cancelled`));
  }, 180_000);

  it('in-process: Ctrl-C cancels the meta-test it follows, which stays resumable', async () => {
    const target = ['--data-dir', path.join(dir, 'local')];
    const follower = await startUnseen(target, await trainedRun(target));
    follower.child.kill('SIGINT');
    const ended = await follower.result;
    expect(ended.code).toBe(1);
    const id = /cancelling meta-test (mt_\S+) \(resume with: metaspo meta-test resume \1\)/.exec(
      ended.stderr,
    )?.[1];
    expect(id, ended.stderr).toBeDefined();
    expect(ended.stdout).toMatch(new RegExp(`^meta-test ${id} cancelled`));
    const resumed = await runCliJson<MetaTestRecord>([...target, 'meta-test', 'resume', id!, '--json']);
    expect(resumed.status).toBe('completed');
  }, 240_000);
});
