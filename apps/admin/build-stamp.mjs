// The admin build's stamp: a hash of everything `vite build` reads from this package and from the
// workspace packages it bundles, and of the workspace's lockfile, which pins the installed
// libraries it bundles (hashed rather than reading node_modules). `vite build` writes
// it into dist/ (vite.config.ts); `metaspo serve` recomputes it at start and rebuilds a dist/
// whose stamp differs, so a user who pulls new code never gets the old app. Plain JavaScript:
// the server loads it from the admin package it builds, also when the server itself runs built.
import { createHash } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';

/** The stamp's file name inside the build directory. */
export const STAMP_FILE = 'build-stamp.json';

/** The files of this package outside src/ that change what the build produces. */
export const PACKAGE_FILES = [
  'package.json',
  'index.html',
  'vite.config.ts',
  'tsconfig.json',
  'build-stamp.mjs',
];

/**
 * @param {string} dir
 * @param {string} prefix
 * @returns {string[]} the files under `dir`, as `prefix/relative/path`
 */
function filesUnder(dir, prefix) {
  if (!fs.existsSync(dir)) return [];
  /** @type {string[]} */
  const found = [];
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const label = `${prefix}/${entry.name}`;
    if (entry.isDirectory()) found.push(...filesUnder(path.join(dir, entry.name), label));
    else if (entry.isFile()) found.push(label);
  }
  return found;
}

/**
 * The lockfile of the pnpm workspace `packageDir` belongs to (beside the nearest
 * pnpm-workspace.yaml above it), or undefined outside a workspace. The whole file, not this
 * package's entry: a transitive library can move without this package's own entry changing, and
 * a needless rebuild after another package's upgrade costs one build where a missed one serves
 * the old app.
 * @param {string} packageDir
 * @returns {string | undefined}
 */
function workspaceLockfile(packageDir) {
  for (let dir = path.resolve(packageDir); ; dir = path.dirname(dir)) {
    if (fs.existsSync(path.join(dir, 'pnpm-workspace.yaml'))) {
      const lockfile = path.join(dir, 'pnpm-lock.yaml');
      return fs.existsSync(lockfile) ? lockfile : undefined;
    }
    if (path.dirname(dir) === dir) return undefined;
  }
}

/**
 * The workspace packages this package depends on (`workspace:` versions), as installed: their
 * sources are bundled into the app (the `@metaspo/source` condition), so they are inputs too.
 * @param {string} packageDir
 * @returns {Array<{ name: string, dir: string }>}
 */
function workspaceDependencies(packageDir) {
  /** @type {{ dependencies?: Record<string, string> }} */
  const manifest = JSON.parse(fs.readFileSync(path.join(packageDir, 'package.json'), 'utf8'));
  return Object.entries(manifest.dependencies ?? {})
    .filter(([, version]) => version.startsWith('workspace:'))
    .map(([name]) => ({ name, dir: fs.realpathSync(path.join(packageDir, 'node_modules', name)) }));
}

/**
 * The hash of the admin app's build inputs in `packageDir`: each file's path and content, in
 * path order, the workspace's pnpm-lock.yaml among them. Reads a few hundred small files and one
 * lockfile: cheap enough for every server start.
 * @param {string} packageDir
 * @returns {string}
 */
export function adminSourceHash(packageDir) {
  /** @type {Array<{ label: string, file: string }>} */
  const inputs = [];
  const add = (/** @type {string} */ root, /** @type {string} */ prefix, /** @type {string[]} */ labels) => {
    for (const label of labels) inputs.push({ label: `${prefix}${label}`, file: path.join(root, label) });
  };
  add(
    packageDir,
    '',
    PACKAGE_FILES.filter((name) => fs.existsSync(path.join(packageDir, name))),
  );
  add(packageDir, '', filesUnder(path.join(packageDir, 'src'), 'src'));
  for (const dependency of workspaceDependencies(packageDir)) {
    add(dependency.dir, `${dependency.name}:`, [
      'package.json',
      ...filesUnder(path.join(dependency.dir, 'src'), 'src'),
    ]);
  }
  const lockfile = workspaceLockfile(packageDir);
  if (lockfile) inputs.push({ label: 'workspace:pnpm-lock.yaml', file: lockfile });
  inputs.sort((a, b) => (a.label < b.label ? -1 : a.label > b.label ? 1 : 0));
  const hash = createHash('sha256');
  for (const input of inputs) {
    hash.update(`${input.label}\0`);
    hash.update(fs.readFileSync(input.file));
    hash.update('\0');
  }
  return hash.digest('hex');
}

/**
 * The source hash a build in `distDir` was made from; undefined when it has no stamp (a build
 * older than stamps, or not made by this package's `vite build`).
 * @param {string} distDir
 * @returns {string | undefined}
 */
export function readBuildStamp(distDir) {
  try {
    /** @type {unknown} */
    const stamp = JSON.parse(fs.readFileSync(path.join(distDir, STAMP_FILE), 'utf8'));
    if (typeof stamp === 'object' && stamp !== null && 'sourceHash' in stamp) {
      return typeof stamp.sourceHash === 'string' ? stamp.sourceHash : undefined;
    }
    return undefined;
  } catch {
    return undefined;
  }
}
