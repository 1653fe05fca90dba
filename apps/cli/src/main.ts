#!/usr/bin/env node
import { formatCliError } from './output.js';
import { createProgram } from './program.js';

const serverFlag = process.argv.indexOf('--server');
const serverUrl = serverFlag === -1 ? process.env.METASPO_SERVER_URL : process.argv[serverFlag + 1];

createProgram()
  .parseAsync(process.argv)
  .catch((error: unknown) => {
    process.stderr.write(`${formatCliError(error, serverUrl)}\n`);
    process.exitCode = 1;
  });
