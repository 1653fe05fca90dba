import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

const repoRoot = fileURLToPath(new URL('../../..', import.meta.url));

describe('metaspo --help', () => {
  it('prints usage through the same entry point `pnpm metaspo` uses', () => {
    const out = execFileSync(
      process.execPath,
      ['--conditions=@metaspo/source', '--import', 'tsx', 'apps/cli/src/main.ts', '--help'],
      { cwd: repoRoot, encoding: 'utf8' },
    );
    expect(out).toMatch(/^Usage: metaspo \[options\] \[command\]/);
    expect(out).toContain('--data-dir <dir>');
  });
});
