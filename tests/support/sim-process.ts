import type { ChildProcess } from 'node:child_process';
import { createDatasetsService } from '@metaspo/datasets';
import type { DomainSplit } from '@metaspo/schemas';
import type { SimServerStats } from '@metaspo/simulator';
import { cliEnv, spawnCli } from './cli-process.js';

export interface SimProcess {
  /** Base URL: OpenAI at `${url}/v1`, Anthropic at `${url}/v1/messages`. */
  url: string;
  child: ChildProcess;
  stats(): Promise<SimServerStats>;
  /** SIGTERM, then resolves once the process has ended. */
  close(): Promise<void>;
}

export interface SimProcessOptions {
  /** The data directory whose registry `sim serve` reads the answer key from. */
  dataDir: string;
  /** Tasks whose gold answers the simulated base model knows (default: the procedural split). */
  tasks?: readonly string[];
  latencyMs?: number;
  /** Share of optimizer replies malformed on purpose (default 0: the tests count exact calls). */
  malformedRate?: number;
  /** How long a provider batch stays in progress after its creation (default 0). */
  batchDelayMs?: number;
}

/** The procedural meta-train and meta-test tasks, as the registry generates them. */
export function proceduralSplit(): DomainSplit {
  const datasets = createDatasetsService({ databaseFile: ':memory:' });
  try {
    return datasets.getDomainSplit('procedural');
  } finally {
    datasets.close();
  }
}

/**
 * `metaspo sim serve` in a child process: the one loopback model every end-to-end test uses,
 * in a process of its own so its answers do not compete with the test for the event loop.
 */
export async function startSimProcess(options: SimProcessOptions): Promise<SimProcess> {
  const split = proceduralSplit();
  const tasks = options.tasks ?? [...split.train, ...split.test];
  const child = spawnCli(
    [
      '--data-dir',
      options.dataDir,
      'sim',
      'serve',
      '--port',
      '0',
      '--latency-ms',
      String(options.latencyMs ?? 0),
      '--malformed-rate',
      String(options.malformedRate ?? 0),
      '--batch-delay-ms',
      String(options.batchDelayMs ?? 0),
      '--tasks',
      tasks.join(','),
    ],
    cliEnv(),
  );
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await new Promise<string>((resolve, reject) => {
    let stdout = '';
    let stderr = '';
    child.stdout!.on('data', (chunk) => {
      stdout += chunk;
      const match = /(http:\/\/\S+)/.exec(stdout);
      if (match) resolve(match[1]!);
    });
    child.stderr!.on('data', (chunk) => {
      stderr += chunk;
    });
    child.once('exit', (code) => reject(new Error(`sim serve exited ${code} before listening:\n${stderr}`)));
  });
  return {
    url,
    child,
    // The simulator's own /stats handler writes this shape; nothing else answers at that URL.
    stats: async () => (await (await fetch(`${url}/stats`)).json()) as SimServerStats,
    close: async () => {
      if (child.exitCode === null) child.kill('SIGTERM');
      await exited;
    },
  };
}
