import { RunConfigSchema } from '@metaspo/schemas';
import { type Document, isMap, isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

/** One problem in a run config, located by field path and, for YAML text, by line. */
export interface ConfigIssue {
  path: string;
  message: string;
  line?: number;
  /** What to do about it (from the server's preflight): a command to run, a variable to set. */
  hint?: string;
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

/** Parses YAML keeping positions, so issues can be given the line of the field they are about. */
export function parseConfigYaml(text: string): { doc: Document; lines: LineCounter } {
  const lines = new LineCounter();
  return { doc: parseDocument(text, { lineCounter: lines, prettyErrors: false }), lines };
}

/**
 * Validates YAML text as a run config and gives every issue the line of the field it is about
 * (or of the syntax error), so the editor can point at it while the user types.
 */
export function validateConfigYaml(text: string): ConfigIssue[] {
  const { doc, lines } = parseConfigYaml(text);
  if (doc.errors.length > 0) {
    return doc.errors.map((err) => ({
      path: '',
      // The parser's message already ends with "at line L, column C"; the line is shown apart.
      message: err.message.replace(/ at line \d+, column \d+:?[\s\S]*$/, ''),
      line: lines.linePos(err.pos[0]).line,
    }));
  }
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [
      { path: '', message: 'the config must be a YAML mapping of fields, e.g. "iterations: 3"', line: 1 },
    ];
  }
  return locateIssues(doc, lines, validateConfigObject(value));
}

/** Gives each issue without a line the line of its path in `doc`, when the path is there. */
function locateIssues(doc: Document, lines: LineCounter, issues: ConfigIssue[]): ConfigIssue[] {
  return issues.map((issue) => {
    if (issue.line !== undefined) return issue;
    const line = lineOfPath(doc, issue.path === '' ? [] : issue.path.split('.'), lines);
    return line === undefined ? issue : { ...issue, line };
  });
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
  const { doc, lines } = parseConfigYaml(text);
  const located = [...local, ...locateIssues(doc, lines, extra)];
  return located
    .map((issue, index) => ({ issue, index }))
    .sort(
      (a, b) =>
        (a.issue.line ?? Number.POSITIVE_INFINITY) - (b.issue.line ?? Number.POSITIVE_INFINITY) ||
        a.index - b.index,
    )
    .map(({ issue }) => issue);
}

/** The line of the deepest node along `path` that exists (an unknown key points at its own key). */
function lineOfPath(doc: Document, path: ReadonlyArray<string>, lines: LineCounter): number | undefined {
  for (let depth = path.length; depth > 0; depth -= 1) {
    const segments = path.slice(0, depth).map((s) => (/^\d+$/.test(s) ? Number(s) : s));
    const node = doc.getIn(segments, true);
    if (isNode(node) && node.range) return lines.linePos(node.range[0]).line;
  }
  return findUnrecognisedKeyLine(doc, lines);
}

function findUnrecognisedKeyLine(doc: Document, lines: LineCounter): number | undefined {
  const known = new Set(Object.keys(RunConfigSchema.shape));
  const contents = doc.contents;
  if (!isMap(contents)) return undefined;
  for (const { key } of contents.items) {
    if (isNode(key) && key.range && 'value' in key && !known.has(String(key.value))) {
      return lines.linePos(key.range[0]).line;
    }
  }
  return undefined;
}
