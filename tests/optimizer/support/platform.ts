import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { GatewayConfigInput } from '@metaspo/llm-gateway';
import { type AppRouter, composePlatform, PlatformConfigSchema } from '@metaspo/platform';
import { createServiceClient } from '@metaspo/service-kit';

export interface PlatformOptions {
  /** Directory of the SQLite files (default: a new temp dir). */
  dir?: string;
  gateway?: GatewayConfigInput;
  /** Where the gateway reads provider keys and base URLs (e.g. OPENAI_BASE_URL of a sim server). */
  env?: NodeJS.ProcessEnv;
}

/**
 * The four services composed by the platform in one process on SQLite files, each reached
 * through its tRPC client (local link); the simulator reads its answer key from the registry.
 */
export async function createPlatform(options: PlatformOptions = {}) {
  const dir = options.dir ?? fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-optimizer-'));
  const platform = composePlatform({
    mode: 'all',
    dataDir: dir,
    config: PlatformConfigSchema.parse({ llm: options.gateway ?? { concurrency: 64 } }),
    env: options.env ?? process.env,
  });
  const app = createServiceClient<AppRouter>({ router: platform.router });
  const split = await app.datasets.domains.get.query({ domain: 'procedural' });
  return {
    dir,
    optimizer: platform.services.optimizer,
    optimizerClient: app.optimizer,
    llm: app.llm,
    gateway: platform.services.llm,
    /** The ports the optimizer was given: a second optimizer service on the same files uses them. */
    evaluator: app.evaluator,
    datasets: app.datasets,
    /** Procedural meta-train and meta-test task ids (the datasets service's default split). */
    split: { train: split.train, test: split.test },
    close: () => platform.close(),
  };
}

export type Platform = Awaited<ReturnType<typeof createPlatform>>;
