import { spawn } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { type AppRouter, composePlatform } from '@metaspo/platform';
import { createServiceClient } from '@metaspo/service-kit';
import { describe, expect, it } from 'vitest';
import {
  type CliResult,
  cliEnv,
  REPO_ROOT,
  runCli,
  startServeProcess,
  tempDir,
} from '../support/cli-process.js';

const MAIN = path.join(REPO_ROOT, 'apps/cli/src/main.ts');

/** `metaspo <args> | <reader>` through a real shell pipe. */
function pipedCli(args: string[], reader: string): Promise<CliResult> {
  const command = `"${process.execPath}" --conditions=@metaspo/source --import tsx "${MAIN}" ${args.join(' ')} | ${reader}`;
  return new Promise((resolve, reject) => {
    const child = spawn('/bin/sh', ['-c', command], { cwd: REPO_ROOT, env: cliEnv() });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** stdout is the command's output, stderr is for people: what a newcomer meets on the terminal. */
describe('CLI hygiene', () => {
  const dir = tempDir('cli-hygiene');

  it('ends quietly when the reader of its output goes away (runs list | head -1)', async () => {
    const dataDir = path.join(dir, 'many-runs');
    const platform = composePlatform({ mode: 'all', dataDir });
    const client = createServiceClient<AppRouter>({ router: platform.router });
    await client.datasets.fetch.mutate({ domain: 'procedural' });
    // Far more than a pipe holds (64 KiB), so the CLI is still writing when head has gone.
    for (let i = 0; i < 600; i += 1) {
      await client.optimizer.runs.create.mutate({
        name: `run number ${i} ${'with a long name '.repeat(8)}`,
        config: {
          metaTrainTasks: ['proc_navigation'],
          baseModel: 'sim:default',
          optimizerModel: 'sim:default',
        },
      });
    }
    await platform.close();
    const result = await pipedCli(['--data-dir', dataDir, 'runs', 'list', '--limit', '1000'], 'head -1');
    expect(result.stdout).toMatch(/^id\s+name\s+method\s+status/);
    expect(result.stdout.split('\n')).toHaveLength(2);
    expect(result.stderr).toBe('');
  }, 120_000);

  it('names an unknown option as unknown, with the option it resembles', async () => {
    const result = await runCli(['--data-dir', dir, 'train', '--confg', 'configs/quick.yaml']);
    expect(result.code).toBe(1);
    expect(result.stderr.split('\n')[0]).toBe("error: unknown option '--confg' (did you mean --config?)");
  });

  it('refuses a data directory that does not exist for a command that reads', async () => {
    const missing = path.join(dir, 'mistyped');
    const result = await runCli(['--data-dir', missing, 'runs', 'list']);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toContain(`data directory ${missing} does not exist`);
    expect(fs.existsSync(missing)).toBe(false);
  });

  it('creates a missing data directory for a command that writes, and says so on stderr', async () => {
    const fresh = path.join(dir, 'fresh');
    const result = await runCli(['--data-dir', fresh, 'datasets', 'fetch', '--domain', 'procedural']);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stderr).toContain(`metaspo: created data directory ${fresh}\n`);
    expect(result.stdout).not.toContain('created data directory');
    expect(fs.existsSync(fresh)).toBe(true);
  });

  it('prints progress off a terminal at each phase, with an ETA once a rate is known', async () => {
    const result = await runCli([
      '--data-dir',
      path.join(dir, 'progress'),
      'train',
      '--config',
      'configs/quick.yaml',
    ]);
    expect(result.code, result.stderr).toBe(0);
    const progress = result.stderr.split('\n').filter((line) => / requests {2}.* {2}ETA /.test(line));
    expect(new Set(progress.map((line) => line.split(' ')[0]))).toEqual(new Set(['inner', 'outer', 'test']));
    expect(progress.some((line) => /ETA \d+(s|m)/.test(line))).toBe(true);
    expect(result.stdout).toMatch(/completed {2}\(simulated scores\)/);
    expect(result.stdout).not.toMatch(/ETA/);
  }, 120_000);

  it('logs readable lines on stderr by default and JSON with --log-format json', async () => {
    const env = cliEnv({ METASPO_LOG_LEVEL: 'info' });
    const logged = async (format: string[]) => {
      const server = await startServeProcess(['--data-dir', path.join(dir, 'log'), ...format], env);
      // stdout (the URL) and stderr (the log) are separate pipes: wait for the log line too.
      for (let i = 0; i < 100 && !server.output().includes('server listening'); i += 1)
        await new Promise((resolve) => setTimeout(resolve, 50));
      await server.stop();
      return server.output();
    };
    expect(await logged([])).toMatch(
      /^\d\d:\d\d:\d\d INFO metaspo-server: metaspo server listening url=http/m,
    );
    const json = await logged(['--log-format', 'json']);
    const line = json.split('\n').find((l) => l.includes('metaspo server listening'));
    expect(JSON.parse(line!)).toMatchObject({
      level: 30,
      name: 'metaspo-server',
      msg: 'metaspo server listening',
    });
  }, 120_000);
});
