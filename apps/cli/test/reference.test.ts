import fs from 'node:fs';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { createProgram } from '../src/program.js';
import { REFERENCE_END, REFERENCE_START, renderCliReference } from '../src/reference.js';

describe('the README CLI reference', () => {
  it('matches the commands the CLI actually has (regenerate with `pnpm docs:cli`)', () => {
    const readme = fs.readFileSync(fileURLToPath(new URL('../../../README.md', import.meta.url)), 'utf8');
    const block = readme.slice(
      readme.indexOf(REFERENCE_START),
      readme.indexOf(REFERENCE_END) + REFERENCE_END.length,
    );
    expect(block).toBe(renderCliReference(createProgram()));
  });

  it('lists every command group', () => {
    const reference = renderCliReference(createProgram());
    for (const command of [
      'metaspo demo',
      'metaspo train',
      'metaspo serve',
      'metaspo runs resume',
      'metaspo datasets fetch',
      'metaspo bench optimizer',
    ]) {
      expect(reference).toContain(`\`${command}`);
    }
  });
});
