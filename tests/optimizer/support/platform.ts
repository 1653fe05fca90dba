import { createLocalPlatform, type LocalPlatform, type LocalPlatformOptions } from '../src/local-platform.js';

export type Platform = LocalPlatform;

/** The real services in-process on SQLite files in a temp dir (see src/local-platform.ts). */
export function createPlatform(options: LocalPlatformOptions = {}): Promise<Platform> {
  return createLocalPlatform(options);
}
