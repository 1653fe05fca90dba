import { type ChildProcess, type ChildProcessByStdio, spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const CLI_ARGS = [
  '--conditions=@metaspo/source',
  '--import',
  'tsx',
  path.join(REPO_ROOT, 'apps/cli/src/main.ts'),
];

export function tempDir(prefix: string): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), `metaspo-${prefix}-`));
}

/** The environment a CLI child gets: this process's, minus anything that would point it elsewhere. */
export function cliEnv(extra: Record<string, string | undefined> = {}): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, METASPO_LOG_LEVEL: 'warn' };
  for (const name of Object.keys(env))
    if (name.startsWith('METASPO_') && name !== 'METASPO_LOG_LEVEL') delete env[name];
  for (const [name, value] of Object.entries(extra)) {
    if (value === undefined) delete env[name];
    else env[name] = value;
  }
  return env;
}

/** `metaspo <args>` from source in the repository root, its stdout and stderr piped. */
export function spawnCli(
  args: string[],
  env: NodeJS.ProcessEnv = cliEnv(),
): ChildProcessByStdio<null, Readable, Readable> {
  return spawn(process.execPath, [...CLI_ARGS, ...args], {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
}

export interface CliResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

/** Runs `metaspo <args>` from source to completion (bounded by `timeoutMs`). */
export function runCli(
  args: string[],
  env: NodeJS.ProcessEnv = cliEnv(),
  timeoutMs = 120_000,
): Promise<CliResult> {
  return new Promise((resolve, reject) => {
    const child = spawnCli(args, env);
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => {
      stdout += chunk;
    });
    child.stderr.on('data', (chunk) => {
      stderr += chunk;
    });
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`metaspo ${args.join(' ')} timed out after ${timeoutMs} ms\n${stderr}`));
    }, timeoutMs);
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

export interface CliProcess {
  child: ChildProcess;
  /** What it has written on stderr so far. */
  stderr(): string;
  /** Resolves once stderr matches `pattern` (rejects if the process ends first). */
  waitForStderr(pattern: RegExp): Promise<void>;
  /** Resolves when the process has ended. */
  result: Promise<CliResult>;
}

/** Starts `metaspo <args>` and lets the test act on it while it runs (e.g. send SIGINT). */
export function startCli(args: string[], env: NodeJS.ProcessEnv = cliEnv()): CliProcess {
  const child = spawnCli(args, env);
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk) => {
    stdout += chunk;
  });
  child.stderr.on('data', (chunk) => {
    stderr += chunk;
  });
  const result = new Promise<CliResult>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
  const waitForStderr = (pattern: RegExp) =>
    new Promise<void>((resolve, reject) => {
      const check = () => {
        if (!pattern.test(stderr)) return false;
        child.stderr.off('data', check);
        resolve();
        return true;
      };
      if (check()) return;
      child.stderr.on('data', check);
      result.then(() => {
        if (!check()) reject(new Error(`metaspo ${args.join(' ')} ended before ${pattern}:\n${stderr}`));
      }, reject);
    });
  return { child, stderr: () => stderr, waitForStderr, result };
}

export async function runCliJson<T>(args: string[], env?: NodeJS.ProcessEnv): Promise<T> {
  const result = await runCli(args, env);
  if (result.code !== 0) throw new Error(`metaspo ${args.join(' ')} exited ${result.code}\n${result.stderr}`);
  return JSON.parse(result.stdout) as T;
}

export interface ServeProcess {
  url: string;
  child: ChildProcess;
  output(): string;
  /** Sends `signal` and resolves with the exit code. */
  stop(signal?: NodeJS.Signals): Promise<number | null>;
}

/**
 * Starts `metaspo <globalArgs> serve --port 0 <serveArgs>` and resolves once it prints the URL
 * it listens on.
 */
export function startServeProcess(
  globalArgs: string[],
  env: NodeJS.ProcessEnv = cliEnv(),
  serveArgs: string[] = [],
): Promise<ServeProcess> {
  return new Promise((resolve, reject) => {
    const child = spawnCli([...globalArgs, 'serve', '--port', '0', ...serveArgs], env);
    let output = '';
    const exited = new Promise<number | null>((done) => child.on('exit', (code) => done(code)));
    const timer = setTimeout(() => reject(new Error(`serve did not start in time:\n${output}`)), 60_000);
    const onData = (chunk: Buffer) => {
      output += chunk;
      const match = /listening on (http:\/\/\S+)/.exec(output);
      if (match) {
        clearTimeout(timer);
        resolve({
          url: match[1]!,
          child,
          output: () => output,
          stop: async (signal = 'SIGTERM') => {
            if (child.exitCode === null) child.kill(signal);
            return exited;
          },
        });
      }
    };
    child.stdout.on('data', onData);
    child.stderr.on('data', (chunk: Buffer) => {
      output += chunk;
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`serve exited with ${code} before listening:\n${output}`));
    });
  });
}
