import { describe, expect, it } from 'vitest';
import {
  lineOfSegments,
  locateIssues,
  parseLocatedYaml,
  pathSegments,
  yamlSyntaxErrors,
} from './yaml-locate.js';

const text = [
  'name: x',
  'run:',
  '  trainSize: -3',
  '  methods:',
  '    - default',
  '    - magic',
  'extra: 1',
].join('\n');

describe('yaml-locate', () => {
  it('reads digit-only path segments as sequence indexes', () => {
    expect(pathSegments('run.methods.1')).toEqual(['run', 'methods', 1]);
    expect(pathSegments('')).toEqual([]);
  });

  it('gives the line of the node a path names, or of its deepest parent in the text', () => {
    const source = parseLocatedYaml(text);
    expect(lineOfSegments(source, ['run', 'trainSize'])).toBe(3);
    expect(lineOfSegments(source, ['run', 'methods', 1])).toBe(6);
    // A missing field points at its parent's value: the mapping under `run:` starts on line 3.
    expect(lineOfSegments(source, ['run', 'seed'])).toBe(3);
  });

  it('points a path not in the text at the first unknown top-level key, else at the start', () => {
    const source = parseLocatedYaml(text);
    expect(lineOfSegments(source, [], { topLevelKeys: new Set(['name', 'run']) })).toBe(7);
    expect(lineOfSegments(source, ['missing'])).toBe(1);
  });

  it('locates issues by path or by segments and keeps a line an issue already has', () => {
    const source = parseLocatedYaml(text);
    const issues = locateIssues(source, [
      { path: 'run.trainSize', message: 'too small' },
      { path: 'run.methods.1', segments: ['run', 'methods', 1], message: 'unknown method' },
      { path: 'name', message: 'kept', line: 40 },
    ]);
    expect(issues.map((issue) => issue.line)).toEqual([3, 6, 40]);
  });

  it('reports a syntax error with its line and a one-line message', () => {
    const errors = yamlSyntaxErrors(parseLocatedYaml('name: x\nrun: [\n  a: b\n'));
    expect(errors.length).toBeGreaterThan(0);
    expect(errors[0]?.line).toBeGreaterThanOrEqual(2);
    expect(errors[0]?.message).not.toContain('\n');
    expect(errors[0]?.message).not.toMatch(/at line \d+/);
  });
});
