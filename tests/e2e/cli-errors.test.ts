import fs from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, runCli, startServeProcess, tempDir } from '../support/cli-process.js';

/** A CLI error is what is wrong, where, and what is expected: a few lines, never a JSON dump. */
describe('CLI errors', () => {
  const dir = tempDir('cli-errors');

  it('prints a malformed model reference as the field and what is expected', async () => {
    const result = await runCli(['--data-dir', dir, 'llm', 'complete', '--model', 'gpt4', '--user', 'hi']);
    expect(result.code).toBe(1);
    expect(result.stderr).toBe(
      'metaspo: invalid input (llm.complete):\n' +
        '  model: model reference "gpt4" is malformed: expected "provider:model", e.g. "openai:gpt-4o-mini"\n',
    );
  });

  it('prints an inline apiKey in the platform config as file, field and the variable to use', async () => {
    const config = path.join(dir, 'platform.yaml');
    fs.writeFileSync(config, 'llm:\n  providers:\n    anthropic:\n      apiKey: sk-ant-inline\n');
    const result = await runCli(['--data-dir', dir, '--platform-config', config, 'runs', 'list']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      `metaspo: ${config} (with environment overrides): llm.providers.anthropic.apiKey: API keys are not read from the config file; set ANTHROPIC_API_KEY in the environment instead`,
    ]);
  });

  it('prints a usage mistake in two lines, not the whole help', async () => {
    const result = await runCli(['--data-dir', dir, 'llm', 'complete', '--model', 'sim:default']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toEqual([
      "error: required option '--user <text>' not specified",
      '(add --help for usage)',
    ]);
  });

  it('refuses an import over the size limit with the same message in-process and through the server', async () => {
    const config = path.join(dir, 'small-imports.yaml');
    fs.writeFileSync(config, 'datasets:\n  maxFileBytes: 2000\n');
    const file = path.join(dir, 'big.jsonl');
    const line = `${JSON.stringify({ question: 'q'.repeat(80), answer: 'a' })}\n`;
    fs.writeFileSync(file, line.repeat(40));
    const size = fs.statSync(file).size;
    const args = ['datasets', 'import', file, '--task-id', 'too_big', '--format', 'jsonl'];
    const local = await runCli(['--data-dir', path.join(dir, 'local'), '--platform-config', config, ...args]);
    expect(local.code).toBe(1);
    expect(local.stderr).toContain(`file is ${size} bytes, over the limit of 2000 bytes`);
    const server = await startServeProcess([
      '--data-dir',
      path.join(dir, 'served'),
      '--platform-config',
      config,
    ]);
    try {
      const remote = await runCli(['--server', server.url, ...args]);
      expect(remote.code).toBe(1);
      expect(remote.stderr).toBe(local.stderr);
    } finally {
      await server.stop();
    }
  });

  it('refuses a token shorter than 16 characters when serve starts', async () => {
    await expect(
      startServeProcess(['--data-dir', path.join(dir, 'short')], cliEnv({ METASPO_API_TOKEN: 'hunter2' })),
    ).rejects.toThrow(/METASPO_API_TOKEN is 7 characters long; use at least 16/);
  });
});
