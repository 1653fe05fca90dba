import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';
import { pathToFileURL } from 'node:url';

/**
 * The admin package whose `vite build` writes `root`: only when `root` is its `dist/` in a source
 * checkout (its package.json, its `src/` and vite installed). A packaged install without sources
 * has none, and its `dist/` is served as it is.
 */
export interface AdminSource {
  packageDir: string;
  viteBin: string;
}

export function adminSourceOf(root: string): AdminSource | undefined {
  if (path.basename(root) !== 'dist') return undefined;
  const packageDir = path.dirname(root);
  const manifest = path.join(packageDir, 'package.json');
  try {
    const parsed: unknown = JSON.parse(fs.readFileSync(manifest, 'utf8'));
    if (
      typeof parsed !== 'object' ||
      parsed === null ||
      !('name' in parsed) ||
      parsed.name !== '@metaspo/admin' ||
      !fs.statSync(path.join(packageDir, 'src')).isDirectory()
    ) {
      return undefined;
    }
    const vitePackage = createRequire(manifest).resolve('vite/package.json');
    return { packageDir, viteBin: path.join(path.dirname(vitePackage), 'bin', 'vite.js') };
  } catch {
    return undefined;
  }
}

/** `missing`: no build yet (a fresh clone); `stale`: a build of older sources being replaced. */
export type AdminBuildCause = 'missing' | 'stale';

export type AdminBuild =
  | { state: 'building'; cause: AdminBuildCause }
  | { state: 'failed'; cause: AdminBuildCause; reason: string };

/** One build per build directory and process; the entry goes once the build is in place. */
const adminBuilds = new Map<string, AdminBuild>();

export function adminBuildOf(root: string): AdminBuild | undefined {
  return adminBuilds.get(root);
}

function runViteBuild(source: AdminSource, outDir: string): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(
      process.execPath,
      [source.viteBin, 'build', '--outDir', outDir, '--emptyOutDir', '--logLevel', 'error'],
      // A production build whatever NODE_ENV the server was started with (React checks it).
      {
        cwd: source.packageDir,
        env: { ...process.env, NODE_ENV: 'production' },
        stdio: ['ignore', 'ignore', 'pipe'],
      },
    );
    let output = '';
    child.stderr.on('data', (chunk: Buffer) => {
      output = `${output}${chunk.toString('utf8')}`.slice(-4_000);
    });
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (code === 0) resolve();
      else reject(new Error(`vite build ended with ${code ?? signal}: ${output.trim() || 'no output'}`));
    });
  });
}

/**
 * Puts a finished build at `root`. An older build there is moved aside first (a rename cannot
 * replace a non-empty folder) and removed after; a build another process put in place at the
 * same moment is kept.
 */
async function moveIntoPlace(staging: string, root: string, packageDir: string): Promise<void> {
  const replaced = path.join(packageDir, `.dist-replaced-${process.pid}`);
  let movedAside = false;
  try {
    await fs.promises.rename(root, replaced);
    movedAside = true;
  } catch (error) {
    if (!(error instanceof Error && 'code' in error && error.code === 'ENOENT')) throw error;
  }
  try {
    await fs.promises.rename(staging, root);
  } catch (error) {
    if (!fs.existsSync(path.join(root, 'index.html'))) throw error;
  }
  if (movedAside) await fs.promises.rm(replaced, { recursive: true, force: true });
}

const STARTING_LINE: Record<AdminBuildCause, (root: string) => string> = {
  missing: (root) =>
    `the admin app is not built yet; building it now into ${root} (vite build, usually under a minute)`,
  stale: (root) => `rebuilding the admin app into ${root} (vite build, usually under a minute)`,
};

/**
 * Builds the admin app into `root` in the background. It builds into a staging folder and moves
 * it into place, so a request never reads a half-written build.
 */
export function startAdminBuild(root: string, source: AdminSource, cause: AdminBuildCause): AdminBuild {
  const running = adminBuilds.get(root);
  if (running) return running;
  const build: AdminBuild = { state: 'building', cause };
  adminBuilds.set(root, build);
  const staging = path.join(source.packageDir, `.dist-building-${process.pid}`);
  const started = Date.now();
  process.stderr.write(`metaspo: ${STARTING_LINE[cause](root)}\n`);
  void runViteBuild(source, staging)
    .then(async () => {
      await moveIntoPlace(staging, root, source.packageDir);
      adminBuilds.delete(root);
      process.stderr.write(`metaspo: admin app built in ${Math.round((Date.now() - started) / 1000)} s\n`);
    })
    .catch((error: unknown) => {
      const reason = error instanceof Error ? error.message : String(error);
      adminBuilds.set(root, { state: 'failed', cause, reason });
      process.stderr.write(`metaspo: building the admin app failed: ${reason}\n`);
    })
    .finally(() => fs.promises.rm(staging, { recursive: true, force: true }));
  return build;
}

/** The admin package's own stamp functions (build-stamp.mjs), so its build and this check agree. */
interface StampModule {
  adminSourceHash(packageDir: string): unknown;
  readBuildStamp(distDir: string): unknown;
}

function isStampModule(loaded: unknown): loaded is StampModule {
  return (
    typeof loaded === 'object' &&
    loaded !== null &&
    'adminSourceHash' in loaded &&
    typeof loaded.adminSourceHash === 'function' &&
    'readBuildStamp' in loaded &&
    typeof loaded.readBuildStamp === 'function'
  );
}

/**
 * Why the build at `root` no longer matches the admin sources and locked libraries it was built
 * from, or undefined when it does (or there is nothing to compare: no build, no sources, an admin
 * package without stamps).
 */
async function staleReason(root: string, source: AdminSource): Promise<string | undefined> {
  if (!fs.existsSync(path.join(root, 'index.html'))) return undefined;
  const stampModule = path.join(source.packageDir, 'build-stamp.mjs');
  if (!fs.existsSync(stampModule)) return undefined;
  const loaded: unknown = await import(pathToFileURL(stampModule).href);
  if (!isStampModule(loaded)) return undefined;
  const built = loaded.readBuildStamp(root);
  if (built === undefined) return 'it has no build stamp (made before builds wrote one)';
  return built === loaded.adminSourceHash(source.packageDir)
    ? undefined
    : `the sources in ${source.packageDir} (or a workspace package it bundles, or pnpm-lock.yaml) changed since it was built`;
}

/**
 * At server start: whether `root` holds a build of admin sources that changed since (a user
 * pulled new code), said on stderr with why. The caller rebuilds it on the first request for the
 * app, as a missing build is, so a server that never serves `/` never builds. A check that cannot
 * run (unreadable sources) leaves the build served as it is, and says so.
 */
export async function staleAdminSource(root: string): Promise<AdminSource | undefined> {
  const source = adminSourceOf(root);
  if (!source) return undefined;
  let reason: string | undefined;
  try {
    reason = await staleReason(root, source);
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    process.stderr.write(`metaspo: could not check whether the admin build is current: ${message}\n`);
    return undefined;
  }
  if (reason === undefined) return undefined;
  process.stderr.write(
    `metaspo: the admin build in ${root} is out of date: ${reason}; it is rebuilt on the first request for the app\n`,
  );
  return source;
}
