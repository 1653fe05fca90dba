import fs from 'node:fs';
import path from 'node:path';
import { PACKAGE_FILES } from '../../build-stamp.mjs';
import { ADMIN_ROOT } from './admin-build.js';

/** The workspace root: where pnpm-workspace.yaml and pnpm-lock.yaml are. */
const WORKSPACE_ROOT = path.resolve(ADMIN_ROOT, '..', '..');

/**
 * The admin package as a fresh clone has it, in a copy of its workspace under `into`: the
 * workspace's pnpm-workspace.yaml and pnpm-lock.yaml, and `apps/admin` with its sources and its
 * installed dependencies (a link to the real node_modules), no `dist/`. Tests change these
 * copies, never the repository's files. Returns the copied package's folder.
 */
export function copyAdminWorkspace(into: string): string {
  for (const file of ['pnpm-workspace.yaml', 'pnpm-lock.yaml']) {
    fs.copyFileSync(path.join(WORKSPACE_ROOT, file), path.join(into, file));
  }
  const packageDir = path.join(into, 'apps', 'admin');
  fs.mkdirSync(packageDir, { recursive: true });
  for (const file of PACKAGE_FILES) {
    fs.copyFileSync(path.join(ADMIN_ROOT, file), path.join(packageDir, file));
  }
  fs.cpSync(path.join(ADMIN_ROOT, 'src'), path.join(packageDir, 'src'), { recursive: true });
  fs.symlinkSync(path.join(ADMIN_ROOT, 'node_modules'), path.join(packageDir, 'node_modules'), 'dir');
  return packageDir;
}
