import fs from 'node:fs';
import { resolveDataDir } from '@metaspo/platform';
import type { Command } from 'commander';

/**
 * Commands that only read the store or act on records already in it: on a data directory that
 * does not exist they say so instead of creating an empty store (a mistyped --data-dir would
 * otherwise print "(none)").
 */
const NEEDS_EXISTING_DATA = new Set([
  'runs list',
  'runs show',
  'runs export',
  'runs resume',
  'runs cancel',
  'meta-test resume',
  'meta-test cancel',
  'meta-test unseen',
  'meta-test adapt',
  'datasets list',
  'datasets show',
  'datasets sample',
  'cache stats',
  'cache clear',
  'usage',
]);

/** The data directory a command works on: `--data-dir`, else the server's default rule. */
function dataDirOf(command: Command): string {
  return resolveDataDir(command.optsWithGlobals<{ dataDir?: string }>().dataDir);
}

/** "runs list": the command's name under the program, as users type it. */
function commandPath(command: Command): string {
  const names: string[] = [];
  for (let c: Command | null = command; c?.parent; c = c.parent) names.unshift(c.name());
  return names.join(' ');
}

/** A data directory this command created, announced once the command has succeeded. */
let created: string | null = null;

/**
 * The data directory, checked before any store is opened: a command that writes creates a
 * missing one; a command that reads refuses it, naming the directory. The creation is announced
 * on stderr when the command succeeds (`announce: 'now'` for commands that do not end, like
 * serve), so a failed command's stderr holds only why it failed.
 */
export function prepareDataDir(command: Command, announce: 'now' | 'on-success' = 'on-success'): string {
  const dataDir = dataDirOf(command);
  if (fs.existsSync(dataDir)) return dataDir;
  const name = commandPath(command);
  if (NEEDS_EXISTING_DATA.has(name)) {
    throw new Error(
      `data directory ${dataDir} does not exist (a mistyped --data-dir or METASPO_DATA_DIR?); ` +
        `\`metaspo ${name}\` only reads it: the first command that writes (e.g. \`metaspo demo\`) creates it`,
    );
  }
  fs.mkdirSync(dataDir, { recursive: true });
  if (announce === 'now') process.stderr.write(`metaspo: created data directory ${dataDir}\n`);
  else created = dataDir;
  return dataDir;
}

/** Called once the command has succeeded: says which data directory it created, if any. */
export function announceCreatedDataDir(): void {
  if (created) process.stderr.write(`metaspo: created data directory ${created}\n`);
  created = null;
}
