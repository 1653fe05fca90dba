#!/usr/bin/env node
import { announceCreatedDataDir } from './data-dir.js';
import { formatCliError } from './output.js';
import { createProgram } from './program.js';

const serverFlag = process.argv.indexOf('--server');
const serverUrl = serverFlag === -1 ? process.env.METASPO_SERVER_URL : process.argv[serverFlag + 1];

// The reader of a pipe went away (`metaspo runs list | head -1`): nobody reads the rest, so stop
// quietly, as other Unix tools do, instead of dying on an unhandled 'error' event.
for (const stream of [process.stdout, process.stderr]) {
  stream.on('error', (error: NodeJS.ErrnoException) => {
    if (error.code !== 'EPIPE') throw error;
    process.exit(process.exitCode ?? 0);
  });
}

createProgram()
  .parseAsync(process.argv)
  .then(announceCreatedDataDir)
  .catch((error: unknown) => {
    process.stderr.write(`${formatCliError(error, serverUrl)}\n`);
    process.exitCode = 1;
  });
