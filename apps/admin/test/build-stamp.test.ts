import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { adminSourceHash } from '../build-stamp.mjs';
import { ADMIN_ROOT } from './support/admin-build.js';
import { copyAdminWorkspace } from './support/admin-workspace.js';

/** The stamp's inputs, hashed on a copy of the workspace files it reads (never the real ones). */
describe('adminSourceHash', () => {
  let dir: string;
  let packageDir: string;

  beforeEach(() => {
    dir = fs.mkdtempSync(path.join(os.tmpdir(), 'metaspo-build-stamp-'));
    packageDir = copyAdminWorkspace(dir);
  });

  afterEach(() => {
    fs.rmSync(dir, { recursive: true, force: true });
  });

  it('is the same for an unchanged tree, and the same as the workspace it was copied from', () => {
    const first = adminSourceHash(packageDir);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(adminSourceHash(packageDir)).toBe(first);
    expect(first).toBe(adminSourceHash(ADMIN_ROOT));
  });

  it('changes with the lockfile content, and comes back when the lockfile does', () => {
    const lockfile = path.join(dir, 'pnpm-lock.yaml');
    const locked = fs.readFileSync(lockfile, 'utf8');
    const before = adminSourceHash(packageDir);
    // A dependency upgrade elsewhere in the tree: the lockfile alone changes.
    fs.writeFileSync(lockfile, locked.replace(/^lockfileVersion: .*$/m, '$&\n# upgraded: recharts'));
    expect(fs.readFileSync(lockfile, 'utf8')).not.toBe(locked);
    const upgraded = adminSourceHash(packageDir);
    expect(upgraded).not.toBe(before);
    fs.writeFileSync(lockfile, locked);
    expect(adminSourceHash(packageDir)).toBe(before);
  });

  it('changes with the admin package.json', () => {
    const manifest = path.join(packageDir, 'package.json');
    const before = adminSourceHash(packageDir);
    const parsed: { dependencies: Record<string, string> } = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    parsed.dependencies['left-pad'] = '^1.3.0';
    fs.writeFileSync(manifest, `${JSON.stringify(parsed, null, 2)}\n`);
    expect(adminSourceHash(packageDir)).not.toBe(before);
  });

  it('reads the lockfile of the nearest workspace only, and none outside a workspace', () => {
    const inWorkspace = adminSourceHash(packageDir);
    // Without pnpm-workspace.yaml the lockfile beside it is no input: changing it changes nothing.
    fs.rmSync(path.join(dir, 'pnpm-workspace.yaml'));
    const outside = adminSourceHash(packageDir);
    expect(outside).not.toBe(inWorkspace);
    fs.appendFileSync(path.join(dir, 'pnpm-lock.yaml'), '# not read\n');
    expect(adminSourceHash(packageDir)).toBe(outside);
    // A workspace without a lockfile (not installed yet) hashes as having none.
    fs.writeFileSync(path.join(dir, 'pnpm-workspace.yaml'), 'packages:\n  - apps/*\n');
    fs.rmSync(path.join(dir, 'pnpm-lock.yaml'));
    expect(adminSourceHash(packageDir)).toBe(outside);
  });
});
