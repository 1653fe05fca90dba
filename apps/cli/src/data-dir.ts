import path from 'node:path';
import type { Command } from 'commander';

/** `--data-dir`, else METASPO_DATA_DIR, else `.metaspo/` in the working directory. */
export function resolveDataDir(command: Command): string {
  const fromFlag = command.optsWithGlobals<{ dataDir?: string }>().dataDir;
  return path.resolve(fromFlag ?? process.env.METASPO_DATA_DIR ?? '.metaspo');
}
