#!/usr/bin/env node
// Usage: node scripts/check-dependency-graph.mjs [WORKSPACE_ROOT]
// Reads every workspace package.json and fails on an edge the layout forbids, so the graph
// stays the one CONTRIBUTING.md describes: services depend only on the shared libraries, apps
// are the ends of the graph, and one package alone pulls in node-llama-cpp. Plain Node, no
// dependencies: it runs before anything is installed.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export const SERVICES = [
  '@metaspo/datasets',
  '@metaspo/evaluator',
  '@metaspo/llm-gateway',
  '@metaspo/optimizer',
];
export const PLATFORM = '@metaspo/platform';
export const LLAMA_CPP = 'node-llama-cpp';
export const LLAMA_CPP_PROVIDER = '@metaspo/provider-llamacpp';
const FIELDS = ['dependencies', 'devDependencies', 'optionalDependencies', 'peerDependencies'];

// Checked in this order; an edge is reported under the first rule it breaks.
export const RULES = [
  {
    text: 'a service package depends on no other service package',
    breaks: (from, to) => from.service && to?.service === true,
  },
  {
    text: `a service package does not depend on ${PLATFORM}`,
    breaks: (from, to) => from.service && to?.name === PLATFORM,
  },
  { text: 'a service package depends on no app', breaks: (from, to) => from.service && to?.kind === 'app' },
  {
    text: 'a library (packages/*) depends on no app (apps/*)',
    breaks: (from, to) => from.kind === 'library' && to?.kind === 'app',
  },
  // Apps are the ends of the graph: what two apps share belongs in a library.
  {
    text: 'an app (apps/*) depends on no other app',
    breaks: (from, to) => from.kind === 'app' && to?.kind === 'app',
  },
  {
    text: `only ${LLAMA_CPP_PROVIDER} depends on ${LLAMA_CPP}`,
    breaks: (from, _to, depName) => depName === LLAMA_CPP && from.name !== LLAMA_CPP_PROVIDER,
  },
];

/** The `packages:` globs of pnpm-workspace.yaml (only `dir` and `dir/*` forms are used here). */
export function workspacePatterns(yamlText) {
  const patterns = [];
  let inPackages = false;
  for (const line of yamlText.split('\n')) {
    if (/^\S/.test(line)) inPackages = /^packages:\s*$/.test(line);
    const item = inPackages && line.match(/^\s+-\s+['"]?([^'"#\s]+)['"]?/);
    if (item) patterns.push(item[1]);
  }
  return patterns;
}

function packageDirs(root, pattern) {
  if (pattern.startsWith('!')) return [];
  if (pattern.endsWith('/*') && !pattern.slice(0, -2).includes('*')) {
    const parent = pattern.slice(0, -2);
    if (!existsSync(join(root, parent))) return [];
    return readdirSync(join(root, parent), { withFileTypes: true })
      .filter((entry) => entry.isDirectory() && existsSync(join(root, parent, entry.name, 'package.json')))
      .map((entry) => `${parent}/${entry.name}`);
  }
  if (pattern.includes('*')) throw new Error(`unsupported workspace pattern ${pattern} (use dir or dir/*)`);
  return existsSync(join(root, pattern, 'package.json')) ? [pattern] : [];
}

function kindOf(dir) {
  if (dir === '.') return 'root';
  if (dir.startsWith('apps/')) return 'app';
  if (dir.startsWith('packages/')) return 'library';
  return dir.split('/')[0];
}

/** Every workspace package (the root included) with its declared dependencies. */
export function readWorkspace(root) {
  const patterns = workspacePatterns(readFileSync(join(root, 'pnpm-workspace.yaml'), 'utf8'));
  const dirs = ['.', ...patterns.flatMap((pattern) => packageDirs(root, pattern)).sort()];
  return dirs.map((dir) => {
    const manifest = JSON.parse(readFileSync(join(root, dir, 'package.json'), 'utf8'));
    const name = manifest.name ?? dir;
    const deps = FIELDS.flatMap((field) =>
      Object.keys(manifest[field] ?? {}).map((dep) => ({ name: dep, field })),
    );
    return { name, dir, kind: kindOf(dir), service: SERVICES.includes(name), deps };
  });
}

/** The edges that break a rule, each with the first rule it breaks. */
export function forbiddenEdges(packages) {
  const byName = new Map(packages.map((pkg) => [pkg.name, pkg]));
  return packages.flatMap((from) =>
    from.deps.flatMap((dep) => {
      const rule = RULES.find((candidate) => candidate.breaks(from, byName.get(dep.name), dep.name));
      return rule ? [{ from: from.name, to: dep.name, field: dep.field, rule: rule.text }] : [];
    }),
  );
}

export function graphLines(packages) {
  const names = new Set(packages.map((pkg) => pkg.name));
  const lines = packages.map((pkg) => {
    const edges = pkg.deps
      .filter((dep) => names.has(dep.name))
      .map((dep) =>
        dep.field === 'dependencies' ? dep.name : `${dep.name} (${dep.field.replace('Dependencies', '')})`,
      );
    return `${pkg.name} -> ${edges.join(', ') || '(none)'}`;
  });
  const llamaUsers = packages.filter((pkg) => pkg.deps.some((dep) => dep.name === LLAMA_CPP));
  lines.push(`${LLAMA_CPP} <- ${llamaUsers.map((pkg) => pkg.name).join(', ') || '(none)'}`);
  return lines;
}

function main() {
  const root = resolve(process.argv[2] ?? join(dirname(fileURLToPath(import.meta.url)), '..'));
  const packages = readWorkspace(root);
  console.log('Workspace dependency graph:');
  for (const line of graphLines(packages)) console.log(`  ${line}`);
  console.log('Rules:');
  for (const rule of RULES) console.log(`  ${rule.text}`);
  const forbidden = forbiddenEdges(packages);
  if (forbidden.length === 0) {
    console.log(`No forbidden edge among ${packages.length} packages.`);
    return;
  }
  console.error(`${forbidden.length} forbidden edge(s):`);
  for (const edge of forbidden) console.error(`  ${edge.from} -> ${edge.to} (${edge.field}): ${edge.rule}`);
  process.exitCode = 1;
}

if (process.argv[1] && resolve(process.argv[1]) === fileURLToPath(import.meta.url)) main();
