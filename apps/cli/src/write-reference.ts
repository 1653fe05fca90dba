import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { createProgram } from './program.js';
import { renderCliReference, withCliReference } from './reference.js';

/** `pnpm docs:cli`: rewrites the CLI reference block of the README from the commands' help. */
const readme = fileURLToPath(new URL('../../../README.md', import.meta.url));
fs.writeFileSync(
  readme,
  withCliReference(fs.readFileSync(readme, 'utf8'), renderCliReference(createProgram())),
);
process.stdout.write(`updated the CLI reference in ${readme}\n`);
