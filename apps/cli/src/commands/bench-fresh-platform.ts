import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { composePlatform, type PlatformConfig, type WholePlatform } from '@metaspo/platform';

/**
 * Runs `work` on the whole platform composed in-process on fresh SQLite files in a temporary
 * directory (so its cache replays nothing of another run's), then closes it and removes them.
 */
export async function onFreshPlatform<T>(
  name: string,
  work: (platform: WholePlatform, dir: string) => Promise<T>,
  config?: PlatformConfig,
): Promise<T> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), `metaspo-bench-${name}-`));
  const platform = composePlatform({ mode: 'all', dataDir: dir, config });
  try {
    return await work(platform, dir);
  } finally {
    await platform.close();
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** Requests (or calls) under full and under racing, and the share racing saved. */
export interface RequestsSaved {
  full: number;
  racing: number;
  savedShare: number;
}

export function requestsSaved(full: number, racing: number): RequestsSaved {
  return { full, racing, savedShare: full === 0 ? 0 : 1 - racing / full };
}
