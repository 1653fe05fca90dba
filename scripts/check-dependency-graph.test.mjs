// Runs the dependency-graph check as a process on fixture workspaces: each rule fails on its
// forbidden edge and lets the allowed edges next to it pass.
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { workspacePatterns } from './check-dependency-graph.mjs';

const script = fileURLToPath(new URL('./check-dependency-graph.mjs', import.meta.url));
const fixtures = mkdtempSync(join(tmpdir(), 'dependency-graph-'));
after(() => rmSync(fixtures, { recursive: true, force: true }));

const services = ['datasets', 'evaluator', 'llm-gateway', 'optimizer'];
const kit = { '@metaspo/schemas': 'workspace:*', '@metaspo/service-kit': 'workspace:*' };

// The layout the rules allow: services on the shared libraries only, the platform and the
// apps on several services, the tests package on everything, node-llama-cpp behind its provider.
function allowedLayout() {
  const all = Object.fromEntries(services.map((name) => [`@metaspo/${name}`, 'workspace:*']));
  return {
    '.': { name: 'root', devDependencies: { turbo: '2' } },
    'packages/schemas': { name: '@metaspo/schemas', dependencies: { zod: '4' } },
    'packages/service-kit': {
      name: '@metaspo/service-kit',
      dependencies: { '@metaspo/schemas': 'workspace:*' },
    },
    ...Object.fromEntries(
      services.map((name) => [`packages/${name}`, { name: `@metaspo/${name}`, dependencies: { ...kit } }]),
    ),
    'packages/simulator': { name: '@metaspo/simulator', dependencies: { ...kit } },
    'packages/provider-llamacpp': {
      name: '@metaspo/provider-llamacpp',
      dependencies: { '@metaspo/schemas': 'workspace:*', 'node-llama-cpp': '3' },
    },
    'packages/platform': { name: '@metaspo/platform', dependencies: { ...kit, ...all } },
    'apps/server': { name: '@metaspo/server', dependencies: { '@metaspo/platform': 'workspace:*' } },
    'apps/cli': { name: '@metaspo/cli', dependencies: { '@metaspo/platform': 'workspace:*', ...all } },
    tests: {
      name: '@metaspo/tests',
      devDependencies: { '@metaspo/cli': 'workspace:*', '@metaspo/server': 'workspace:*', ...all },
    },
  };
}

let fixtureCount = 0;
function check(layout) {
  const root = join(fixtures, `workspace-${fixtureCount++}`);
  for (const [dir, manifest] of Object.entries(layout)) {
    mkdirSync(join(root, dir), { recursive: true });
    writeFileSync(join(root, dir, 'package.json'), JSON.stringify(manifest));
  }
  writeFileSync(
    join(root, 'pnpm-workspace.yaml'),
    "packages:\n  - apps/*\n  - 'packages/*'\n  - tests\n\ncatalog:\n  zod: ^4\n",
  );
  const result = spawnSync(process.execPath, [script, root], { encoding: 'utf8' });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

function withEdge(dir, field, dep) {
  const layout = allowedLayout();
  layout[dir][field] = { ...layout[dir][field], [dep]: 'workspace:*' };
  return layout;
}

describe('check-dependency-graph', () => {
  test('the allowed layout passes and its graph is printed one line per package', () => {
    const { status, stdout } = check(allowedLayout());
    assert.equal(status, 0);
    assert.match(stdout, /^ {2}@metaspo\/optimizer -> @metaspo\/schemas, @metaspo\/service-kit$/m);
    assert.match(stdout, /^ {2}@metaspo\/tests -> @metaspo\/cli \(dev\), @metaspo\/server \(dev\), /m);
    assert.match(stdout, /^ {2}node-llama-cpp <- @metaspo\/provider-llamacpp$/m);
    assert.match(stdout, /No forbidden edge among 13 packages/);
  });

  const forbidden = [
    {
      edge: 'a service on another service, in devDependencies',
      layout: withEdge('packages/evaluator', 'devDependencies', '@metaspo/datasets'),
      message:
        '@metaspo/evaluator -> @metaspo/datasets (devDependencies): a service package depends on no other service package',
    },
    {
      edge: 'a service on the platform',
      layout: withEdge('packages/optimizer', 'dependencies', '@metaspo/platform'),
      message:
        '@metaspo/optimizer -> @metaspo/platform (dependencies): a service package does not depend on @metaspo/platform',
    },
    {
      edge: 'a service on an app',
      layout: withEdge('packages/llm-gateway', 'dependencies', '@metaspo/cli'),
      message: '@metaspo/llm-gateway -> @metaspo/cli (dependencies): a service package depends on no app',
    },
    {
      edge: 'a library on an app',
      layout: withEdge('packages/platform', 'devDependencies', '@metaspo/server'),
      message:
        '@metaspo/platform -> @metaspo/server (devDependencies): a library (packages/*) depends on no app (apps/*)',
    },
    {
      edge: 'an app on another app',
      layout: withEdge('apps/cli', 'dependencies', '@metaspo/server'),
      message: '@metaspo/cli -> @metaspo/server (dependencies): an app (apps/*) depends on no other app',
    },
    {
      edge: 'a package other than the llama.cpp provider on node-llama-cpp',
      layout: withEdge('packages/llm-gateway', 'optionalDependencies', 'node-llama-cpp'),
      message:
        '@metaspo/llm-gateway -> node-llama-cpp (optionalDependencies): only @metaspo/provider-llamacpp depends on node-llama-cpp',
    },
    {
      edge: 'the workspace root on node-llama-cpp',
      layout: withEdge('.', 'devDependencies', 'node-llama-cpp'),
      message:
        'root -> node-llama-cpp (devDependencies): only @metaspo/provider-llamacpp depends on node-llama-cpp',
    },
  ];
  for (const { edge, layout, message } of forbidden) {
    test(`fails on ${edge}, naming the edge`, () => {
      const { status, stderr } = check(layout);
      assert.equal(status, 1);
      assert.deepEqual(stderr.trim().split('\n'), ['1 forbidden edge(s):', `  ${message}`]);
    });
  }

  test('a service may depend on a library that is no service, and a library on a service', () => {
    const layout = withEdge('packages/datasets', 'dependencies', '@metaspo/simulator');
    layout['packages/provider-llamacpp'].devDependencies = { '@metaspo/llm-gateway': 'workspace:*' };
    assert.equal(check(layout).status, 0);
  });
});

test('workspacePatterns reads the packages list only, quoted or not', () => {
  const yaml =
    'packages:\n  - apps/*\n  - \'packages/*\'\n  - "tests" # end to end\nonlyBuiltDependencies:\n  - esbuild\n';
  assert.deepEqual(workspacePatterns(yaml), ['apps/*', 'packages/*', 'tests']);
});
