import { type ChildProcessByStdio, spawn } from 'node:child_process';
import path from 'node:path';
import type { Readable } from 'node:stream';
import { fileURLToPath } from 'node:url';

/** The repository root: the server runs from source there, as `pnpm metaspo serve` runs it. */
const REPO_ROOT = fileURLToPath(new URL('../../../..', import.meta.url));
const SERVER_MAIN = path.join(REPO_ROOT, 'apps/server/src/main.ts');
const LISTENING = /^metaspo all listening on (http:\/\/\S+)$/m;

export interface ServerProcessOptions {
  dataDir: string;
  /** The admin build to serve at `/`. */
  adminDir: string;
  /** A YAML (or JSON) platform config file. */
  configFile: string;
  token?: string;
  sharedDatasetsDir?: string;
  /** More environment for the server, e.g. a provider key so its batch API counts as available. */
  env?: Record<string, string>;
}

export interface ServerProcess {
  url: string;
  /** What the server wrote on stderr so far. */
  stderr(): string;
  /** SIGTERM, then waits for the process to end (it pauses running work and closes its databases). */
  stop(): Promise<void>;
}

/**
 * The real server process (`apps/server/src/main.ts`, what `metaspo serve` starts) on a free
 * loopback port. Its environment holds no provider keys and no METASPO_* of the test process,
 * only the token and the variables a test asks for.
 */
export function startServerProcess(options: ServerProcessOptions): Promise<ServerProcess> {
  const args = [
    '--conditions=@metaspo/source',
    '--import',
    'tsx',
    SERVER_MAIN,
    '--port',
    '0',
    '--host',
    '127.0.0.1',
    '--data-dir',
    options.dataDir,
    '--config',
    options.configFile,
    '--admin-dir',
    options.adminDir,
    ...(options.sharedDatasetsDir ? ['--shared-datasets', options.sharedDatasetsDir] : []),
  ];
  const env: NodeJS.ProcessEnv = {
    PATH: process.env.PATH,
    HOME: process.env.HOME,
    METASPO_LOG_LEVEL: 'warn',
    ...(options.token ? { METASPO_API_TOKEN: options.token } : {}),
    ...options.env,
  };
  const child: ChildProcessByStdio<null, Readable, Readable> = spawn(process.execPath, args, {
    cwd: REPO_ROOT,
    env,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  let listening = false;
  child.stderr.on('data', (chunk: Buffer) => {
    stderr += chunk.toString('utf8');
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  let stopping: Promise<void> | undefined;
  const stop = () => {
    stopping ??= (async () => {
      if (child.exitCode === null && child.signalCode === null) child.kill('SIGTERM');
      await exited;
    })();
    return stopping;
  };
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`the server did not start in 60 s: ${stderr.slice(-2_000)}`));
    }, 60_000);
    const onExit = (code: number | null) => {
      clearTimeout(timer);
      reject(new Error(`the server exited (${code}) before listening: ${stderr.slice(-2_000)}`));
    };
    child.once('exit', onExit);
    // Read stdout to its end all along, so a chatty server never blocks on a full pipe.
    child.stdout.on('data', (chunk: Buffer) => {
      if (listening) return;
      stdout += chunk.toString('utf8');
      const url = LISTENING.exec(stdout)?.[1];
      if (!url) return;
      listening = true;
      clearTimeout(timer);
      child.off('exit', onExit);
      resolve({ url, stderr: () => stderr, stop });
    });
  });
}
