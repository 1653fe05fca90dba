import { resolveDataDir } from '@metaspo/server';
import type { Command } from 'commander';

/** The data directory a command works on: `--data-dir`, else the server's default rule. */
export function dataDirOf(command: Command): string {
  return resolveDataDir(command.optsWithGlobals<{ dataDir?: string }>().dataDir);
}
