import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import readline from 'node:readline';
import { fileURLToPath } from 'node:url';
import type { AnswerKeyEntry } from '@metaspo/schemas';

export interface SimServerProcessOptions {
  latencyMs?: number;
  jitterMs?: number;
  /** The questions the server answers; none (the default) for benches that only need replies. */
  answers?: AnswerKeyEntry[];
  /** Share of optimizer replies malformed on purpose (the server's default when left out). */
  malformedRate?: number;
  /** Node flags of the child (default: this process's, so it also runs from source under tsx). */
  nodeArgs?: string[];
}

export interface SimServerProcess {
  url: string;
  /** Model requests the server received (its GET /stats). */
  requests(): Promise<number>;
  /** Zeroes the server's counters. */
  reset(): Promise<void>;
  /** Closes the child's stdin, which makes it stop, and waits for it to exit. */
  close(): Promise<void>;
}

/**
 * Starts the simulator's HTTP server in a child process, so a bench measures its client side
 * without sharing a core with the server. The options (answers included) go through a temporary
 * JSON file, too large for argv; the child reports its URL on stdout and exits when its stdin
 * closes, which also happens when this process dies.
 */
export async function startSimServerProcess(
  options: SimServerProcessOptions = {},
): Promise<SimServerProcess> {
  const here = fileURLToPath(import.meta.url);
  const entry = path.join(path.dirname(here), `sim-server-child${path.extname(here)}`);
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-sim-process-'));
  const optionsFile = path.join(dir, 'options.json');
  const { nodeArgs, ...serverOptions } = options;
  fs.writeFileSync(optionsFile, JSON.stringify(serverOptions));
  const child = spawn(process.execPath, [...(nodeArgs ?? process.execArgv), entry, optionsFile], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  try {
    const url = await new Promise<string>((resolve, reject) => {
      child.once('error', reject);
      child.once('exit', (code) => reject(new Error(`the simulator process exited with ${code}`)));
      readline.createInterface({ input: child.stdout }).once('line', (line) => {
        const reported: unknown = JSON.parse(line);
        if (
          typeof reported === 'object' &&
          reported !== null &&
          'url' in reported &&
          typeof reported.url === 'string'
        )
          resolve(reported.url);
        else reject(new Error(`the simulator process reported ${line}`));
      });
    });
    return {
      url,
      async requests() {
        const stats: unknown = await (await fetch(`${url}/stats`)).json();
        if (
          typeof stats !== 'object' ||
          stats === null ||
          !('requests' in stats) ||
          typeof stats.requests !== 'number'
        )
          throw new Error(`the simulator's /stats answered ${JSON.stringify(stats)}`);
        return stats.requests;
      },
      async reset() {
        await fetch(`${url}/stats/reset`, { method: 'POST' });
      },
      async close() {
        child.stdin.end();
        await exited;
      },
    };
  } catch (error) {
    child.kill();
    throw error;
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}
