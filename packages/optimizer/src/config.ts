import {
  type ConfigIssue,
  type RunConfig,
  type RunConfigInput,
  RunConfigSchema,
  type ValidateConfigResult,
} from '@metaspo/schemas';
import { invalidInput, toFieldIssues } from '@metaspo/service-kit';
import YAML, { LineCounter } from 'yaml';

/** The line of the deepest node of `segments` in `doc`. */
export function lineOfSegments(
  doc: YAML.Document,
  counter: LineCounter,
  segments: ReadonlyArray<string | number>,
): number | undefined {
  // Point at the deepest node that exists: a missing field is reported at its parent.
  for (let depth = segments.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(segments.slice(0, depth), true);
    const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    if (offset !== undefined) return counter.linePos(offset).line;
  }
  return undefined;
}

function lineOf(doc: YAML.Document, counter: LineCounter, path: string): number | undefined {
  const segments = path === '' ? [] : path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  return lineOfSegments(doc, counter, segments);
}

/** Validates YAML run-config text: every issue names its field and, when it can, its line. */
export function validateRunConfigYaml(yaml: string): ValidateConfigResult & { config?: RunConfig } {
  const counter = new LineCounter();
  const doc = YAML.parseDocument(yaml, { lineCounter: counter, prettyErrors: false });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      issues: doc.errors.map((e) => {
        // linePos is only filled with prettyErrors; the counter locates the offset either way.
        const line = e.linePos?.[0]?.line ?? counter.linePos(e.pos[0]).line;
        return { path: '', message: `invalid YAML: ${e.message.split('\n')[0]}`, ...(line ? { line } : {}) };
      }),
    };
  }
  const value = doc.toJS() ?? {};
  const parsed = RunConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, issues: [], config: parsed.data };
  const issues: ConfigIssue[] = toFieldIssues(parsed.error.issues).map((issue) => {
    const line = lineOf(doc, counter, issue.path);
    return line === undefined ? issue : { ...issue, line };
  });
  return { ok: false, issues };
}

/** A run config from an object or YAML text; INVALID_INPUT names every bad field. */
export function parseRunConfig(config: string | RunConfigInput): RunConfig {
  if (typeof config === 'string') {
    const result = validateRunConfigYaml(config);
    if (result.config) return result.config;
    const issues = result.issues.map((i) => ({
      path: i.path,
      message: i.line ? `${i.message} (line ${i.line})` : i.message,
    }));
    throw invalidInput(
      `invalid run config: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  const parsed = RunConfigSchema.safeParse(config);
  if (!parsed.success) {
    const issues = toFieldIssues(parsed.error.issues);
    throw invalidInput(
      `invalid run config: ${issues.map((i) => `${i.path}: ${i.message}`).join('; ')}`,
      issues,
    );
  }
  return parsed.data;
}
