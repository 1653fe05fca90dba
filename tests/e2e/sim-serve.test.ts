import { spawn } from 'node:child_process';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { cliEnv, REPO_ROOT, runCliJson, tempDir } from '../support/cli-process.js';

describe('metaspo sim serve', () => {
  it('answers over the OpenAI wire format from the registry gold answers, and stops on SIGTERM', async () => {
    const dataDir = path.join(tempDir('sim-serve'), 'data');
    await runCliJson(['--data-dir', dataDir, 'datasets', 'fetch', '--task', 'proc_navigation', '--json']);
    const child = spawn(
      process.execPath,
      [
        '--conditions=@metaspo/source',
        '--import',
        'tsx',
        'apps/cli/src/main.ts',
        '--data-dir',
        dataDir,
        'sim',
        'serve',
        '--port',
        '0',
        '--tasks',
        'proc_navigation',
      ],
      { cwd: REPO_ROOT, env: cliEnv(), stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let stderr = '';
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const exited = new Promise<number | null>((resolve) => child.on('exit', resolve));
    const url = await new Promise<string>((resolve, reject) => {
      let stdout = '';
      child.stdout.on('data', (chunk) => {
        stdout += chunk;
        const match = /(http:\/\/\S+)/.exec(stdout);
        if (match) resolve(match[1]!);
      });
      child.on('exit', (code) => reject(new Error(`sim serve exited ${code}: ${stderr}`)));
    });
    try {
      expect(stderr).toMatch(/answer key of \d+ questions/);
      const response = await fetch(`${url}/v1/chat/completions`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', authorization: 'Bearer sk-test-sim-serve' },
        body: JSON.stringify({
          model: 'default',
          temperature: 0,
          messages: [
            { role: 'system', content: 'Think step by step and check your work.' },
            { role: 'user', content: 'Is 2 + 2 four?' },
          ],
        }),
      });
      expect(response.status).toBe(200);
      const body = (await response.json()) as {
        choices: Array<{ message: { content: string } }>;
        usage: { prompt_tokens: number };
      };
      expect(body.choices[0]?.message.content.length).toBeGreaterThan(0);
      expect(body.usage.prompt_tokens).toBeGreaterThan(0);
      const stats = (await (await fetch(`${url}/stats`)).json()) as { answered: number };
      expect(stats.answered).toBe(1);
    } finally {
      child.kill('SIGTERM');
    }
    expect(await exited).toBe(0);
    expect(stderr).toContain('stopped after 1 answered requests');
  });
});
