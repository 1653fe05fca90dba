import { fork } from 'node:child_process';
import { fileURLToPath } from 'node:url';

export interface BenchServer {
  url: string;
  /** Model requests the server received (its GET /stats). */
  requests(): Promise<number>;
  close(): Promise<void>;
}

/**
 * Starts the loopback simulator in a child process (same Node flags as this one, so it also
 * runs from TypeScript source under tsx). In-process, the server took about a third of the
 * gateway's core and the bench measured the two of them together.
 */
export function startBenchServer(latencyMs: number): Promise<BenchServer> {
  const extension = import.meta.url.endsWith('.ts') ? '.ts' : '.js';
  const entry = fileURLToPath(new URL(`./bench-server-process${extension}`, import.meta.url));
  const child = fork(entry, [String(latencyMs)], { stdio: ['ignore', 'ignore', 'inherit', 'ipc'] });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  return new Promise((resolve, reject) => {
    child.once('error', reject);
    child.once('exit', (code) => reject(new Error(`the bench's simulator process exited (code ${code})`)));
    child.once('message', (message: { url: string }) => {
      resolve({
        url: message.url,
        async requests() {
          const response = await fetch(`${message.url}/stats`);
          const stats = (await response.json()) as { requests: number };
          return stats.requests;
        },
        async close() {
          if (child.connected) child.disconnect();
          await exited;
        },
      });
    });
  });
}
