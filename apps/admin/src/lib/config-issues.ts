import { RunConfigSchema } from '@metaspo/schemas';
import { isNode, LineCounter, parseDocument } from 'yaml';
import type { z } from 'zod';

/** One problem in a run config, located by field path and, for YAML text, by line. */
export interface ConfigIssue {
  path: string;
  message: string;
  line?: number;
}

function pathText(path: ReadonlyArray<PropertyKey>): string {
  return path.map(String).join('.');
}

function zodIssues(error: z.ZodError): ConfigIssue[] {
  return error.issues.map((issue) => ({ path: pathText(issue.path), message: issue.message }));
}

/** Validates a config object locally (same schema the server uses), keyed by field path. */
export function validateConfigObject(value: unknown): ConfigIssue[] {
  const parsed = RunConfigSchema.safeParse(value);
  return parsed.success ? [] : zodIssues(parsed.error);
}

/**
 * Validates YAML text as a run config and gives every issue the line of the field it is about
 * (or of the syntax error), so the editor can point at it while the user types.
 */
export function validateConfigYaml(text: string): ConfigIssue[] {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { lineCounter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return doc.errors.map((err) => {
      const line = err.linePos?.[0]?.line;
      return line === undefined
        ? { path: '', message: err.message }
        : { path: '', message: err.message, line };
    });
  }
  const value: unknown = doc.toJS();
  if (value === null || typeof value !== 'object' || Array.isArray(value)) {
    return [
      { path: '', message: 'the config must be a YAML mapping of fields, e.g. "iterations: 3"', line: 1 },
    ];
  }
  const parsed = RunConfigSchema.safeParse(value);
  if (parsed.success) return [];
  return parsed.error.issues.map((issue) => {
    const line = lineOfPath(doc, issue.path, lineCounter);
    const base = { path: pathText(issue.path), message: issue.message };
    return line === undefined ? base : { ...base, line };
  });
}

/** The line of the deepest node along `path` that exists (an unknown key points at its own key). */
function lineOfPath(
  doc: ReturnType<typeof parseDocument>,
  path: ReadonlyArray<PropertyKey>,
  lineCounter: LineCounter,
): number | undefined {
  for (let depth = path.length; depth > 0; depth -= 1) {
    const node = doc.getIn(path.slice(0, depth) as unknown[], true);
    if (isNode(node) && node.range) return lineCounter.linePos(node.range[0]).line;
  }
  return findUnrecognisedKeyLine(doc, lineCounter);
}

function findUnrecognisedKeyLine(
  doc: ReturnType<typeof parseDocument>,
  lineCounter: LineCounter,
): number | undefined {
  const known = new Set(Object.keys(RunConfigSchema.shape));
  const contents = doc.contents;
  if (!contents || !('items' in contents)) return undefined;
  for (const item of contents.items) {
    const key = (item as { key?: unknown }).key;
    if (isNode(key) && key.range && 'value' in key && !known.has(String(key.value))) {
      return lineCounter.linePos(key.range[0]).line;
    }
  }
  return undefined;
}
