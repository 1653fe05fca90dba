import fs from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { ADMIN_DIST, ensureAdminBuild } from './support/admin-build.js';

/** The budget of issue 18: the JavaScript a first visit downloads, gzipped as `vite build` prints it. */
const INITIAL_BUDGET_BYTES = 150_000;
/** Static imports between chunks (`import{a as b}from"./x.js"`); `import("./x.js")` is lazy and not matched. */
const STATIC_IMPORT = /import\s*(?:[\w$*{}\s,]*?from\s*)?["']\.\/([^"']+\.js)["']/g;

function chunk(name: string): string {
  return fs.readFileSync(path.join(ADMIN_DIST, 'assets', name), 'utf8');
}

/** The entry script of index.html and every chunk it imports statically, transitively. */
function initialChunks(): string[] {
  const html = fs.readFileSync(path.join(ADMIN_DIST, 'index.html'), 'utf8');
  const entry = /<script type="module"[^>]*src="\/assets\/([^"]+\.js)"/.exec(html)?.[1];
  if (!entry) throw new Error('index.html names no module script');
  const seen = new Set<string>();
  const visit = (name: string) => {
    if (seen.has(name)) return;
    seen.add(name);
    for (const match of chunk(name).matchAll(STATIC_IMPORT)) if (match[1]) visit(match[1]);
  };
  visit(entry);
  return [...seen];
}

describe('the JavaScript of a first visit', () => {
  let initial: string[];

  beforeAll(async () => {
    await ensureAdminBuild();
    initial = initialChunks();
  }, 120_000);

  it(`is at most ${INITIAL_BUDGET_BYTES / 1000} kB gzipped`, () => {
    const gzipped = initial.reduce((sum, name) => sum + gzipSync(chunk(name)).length, 0);
    expect(gzipped).toBeGreaterThan(0);
    expect(gzipped).toBeLessThanOrEqual(INITIAL_BUDGET_BYTES);
  });

  it('leaves the pages, the charts, the YAML editor and the diff to their own chunks', () => {
    const lazy = ['Overview-', 'RunDetail-', 'RunCreate-', 'ScoreChart-', 'yaml-locate-', 'MetaTest-'];
    expect(initial.filter((name) => lazy.some((prefix) => name.startsWith(prefix)))).toEqual([]);
    const assets = fs.readdirSync(path.join(ADMIN_DIST, 'assets'));
    for (const prefix of lazy) expect(assets.some((name) => name.startsWith(prefix))).toBe(true);
  });
});
