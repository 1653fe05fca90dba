import { RunConfigSchema } from '@metaspo/schemas';
import {
  type LocatedYaml,
  locateIssues,
  parseLocatedYaml,
  yamlSyntaxErrors,
} from '@metaspo/schemas/yaml-locate';
import type { z } from 'zod';

/** One problem in a run config, located by field path and, for YAML text, by line. */
export interface ConfigIssue {
  path: string;
  message: string;
  line?: number | undefined;
  /** What to do about it (from the server's preflight): a command to run, a variable to set. */
  hint?: string | undefined;
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

type ZodIssue = z.ZodError['issues'][number];

/**
 * The schema gives number fields one message ("x must be a number") for every failure, so
 * `iterations: -1` would read as a type error; the message here says what is actually wrong.
 */
function issueMessage(issue: ZodIssue): string {
  const field = pathText(issue.path) || 'the config';
  if (issue.code === 'too_small' && issue.origin === 'number') {
    const bound = Number(issue.minimum);
    if (bound === 0 && !issue.inclusive) return `${field} must be a positive number (at least 1)`;
    return `${field} must be ${issue.inclusive ? 'at least' : 'more than'} ${bound}`;
  }
  if (issue.code === 'too_big' && issue.origin === 'number') {
    return `${field} must be ${issue.inclusive ? 'at most' : 'less than'} ${Number(issue.maximum)}`;
  }
  if (issue.code === 'invalid_type' && issue.expected === 'int') return `${field} must be a whole number`;
  if (
    issue.code === 'invalid_type' &&
    issue.expected === 'number' &&
    issue.message.startsWith('Invalid input')
  ) {
    return `${field} must be a number`;
  }
  return issue.message;
}

function zodIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({ path: pathText(issue.path), message: issueMessage(issue) }));
}

/** Validates a config object locally (same schema the server uses), keyed by field path. */
function validateConfigObject(value: unknown): ConfigIssue[] {
  const parsed = RunConfigSchema.safeParse(value);
  return parsed.success ? [] : zodIssues(parsed.error);
}

/** An issue not in the text (an unknown key's issue is about the root) points at the unknown key. */
const TOP_LEVEL_KEYS: ReadonlySet<string> = new Set(Object.keys(RunConfigSchema.shape));

function withLines(source: LocatedYaml, issues: ConfigIssue[]): ConfigIssue[] {
  return locateIssues(source, issues, { topLevelKeys: TOP_LEVEL_KEYS });
}

/**
 * Validates YAML text as a run config and gives every issue the line of the field it is about
 * (or of the syntax error), so the editor can point at it while the user types.
 */
export function validateConfigYaml(text: string): ConfigIssue[] {
  const source = parseLocatedYaml(text);
  const syntax = yamlSyntaxErrors(source);
  if (syntax.length > 0) return syntax.map((error) => ({ path: '', ...error }));
  const value: unknown = source.doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [
      { path: '', message: 'the config must be a YAML mapping of fields, e.g. "iterations: 3"', line: 1 },
    ];
  }
  return withLines(source, validateConfigObject(value));
}

/**
 * The issues to show for `text`: the local ones, then the server's preflight issues about
 * paths the local check found nothing wrong with (a syntax error leaves the server nothing to
 * add), each located in the text and all sorted by line.
 */
export function mergeConfigIssues(text: string, local: ConfigIssue[], server: ConfigIssue[]): ConfigIssue[] {
  const syntaxBroken = local.some((issue) => issue.path === '');
  const localPaths = new Set(local.map((issue) => issue.path));
  const extra = syntaxBroken ? [] : server.filter((issue) => !localPaths.has(issue.path));
  const located = [...local, ...withLines(parseLocatedYaml(text), extra)];
  return located
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) =>
        (a.issue.line ?? Number.POSITIVE_INFINITY) - (b.issue.line ?? Number.POSITIVE_INFINITY) ||
        a.index - b.index,
    )
    .map(({ issue }) => issue);
}
