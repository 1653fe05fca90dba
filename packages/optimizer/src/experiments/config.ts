import {
  type ConfigIssue,
  type ExperimentConfig,
  ExperimentConfigSchema,
  type RunConfig,
  RunConfigSchema,
} from '@metaspo/schemas';
import { invalidInput, toFieldIssues } from '@metaspo/service-kit';
import YAML, { LineCounter } from 'yaml';

/** 1-based line of the node at `path` (dotted), or of its deepest existing parent. */
function lineOf(doc: YAML.Document, counter: LineCounter, path: string): number | undefined {
  const segments = path === '' ? [] : path.split('.').map((s) => (/^\d+$/.test(s) ? Number(s) : s));
  for (let depth = segments.length; depth >= 0; depth -= 1) {
    const node = depth === 0 ? doc.contents : doc.getIn(segments.slice(0, depth), true);
    const offset = (node as { range?: [number, number, number] } | undefined)?.range?.[0];
    if (offset !== undefined) return counter.linePos(offset).line;
  }
  return undefined;
}

/**
 * The run config of one cell of the experiment: its `run` options with the fields the
 * experiment owns. Used to check `run` once at parse time and to build every run.
 */
export function cellRunConfig(
  config: ExperimentConfig,
  cell: { method: RunConfig['method']; seed: number; metaTrainTasks: string[]; metaTestTasks: string[] },
  name?: string,
): RunConfig {
  return RunConfigSchema.parse(runConfigInput(config, cell, name));
}

function runConfigInput(
  config: ExperimentConfig,
  cell: { method: RunConfig['method']; seed: number; metaTrainTasks: string[]; metaTestTasks: string[] },
  name?: string,
): Record<string, unknown> {
  return {
    ...config.run,
    ...(name ? { name } : {}),
    method: cell.method,
    seed: cell.seed,
    baseModel: config.baseModel,
    optimizerModel: config.optimizerModel,
    metaTrainTasks: cell.metaTrainTasks,
    metaTestTasks: cell.metaTestTasks,
    concurrency: config.concurrency,
    scoring: config.scoring,
  };
}

export interface ExperimentConfigCheck {
  ok: boolean;
  issues: ConfigIssue[];
  config?: ExperimentConfig;
}

/** Checks an experiment config (YAML text or object): each issue names its field and line. */
export function validateExperimentConfig(input: string | Record<string, unknown>): ExperimentConfigCheck {
  let value: unknown = input;
  let locate: (path: string) => number | undefined = () => undefined;
  if (typeof input === 'string') {
    const counter = new LineCounter();
    const doc = YAML.parseDocument(input, { lineCounter: counter, prettyErrors: false });
    if (doc.errors.length > 0) {
      return {
        ok: false,
        issues: doc.errors.map((e) => {
          const line = e.linePos?.[0]?.line;
          return {
            path: '',
            message: `invalid YAML: ${e.message.split('\n')[0]}`,
            ...(line ? { line } : {}),
          };
        }),
      };
    }
    value = doc.toJS() ?? {};
    locate = (path) => lineOf(doc, counter, path);
  }
  const withLines = (issues: Array<{ path: string; message: string }>): ConfigIssue[] =>
    issues.map((issue) => {
      const line = locate(issue.path);
      return line === undefined ? issue : { ...issue, line };
    });
  const parsed = ExperimentConfigSchema.safeParse(value);
  if (!parsed.success) return { ok: false, issues: withLines(toFieldIssues(parsed.error.issues)) };
  // The run options are checked as a run would check them, on a stand-in cell.
  const sample = RunConfigSchema.safeParse(
    runConfigInput(parsed.data, { method: 'metaspo', seed: 0, metaTrainTasks: ['x'], metaTestTasks: ['x'] }),
  );
  if (!sample.success) {
    const issues = toFieldIssues(sample.error.issues).map((i) => ({ ...i, path: `run.${i.path}` }));
    return { ok: false, issues: withLines(issues) };
  }
  return { ok: true, issues: [], config: parsed.data };
}

/** An experiment config, or INVALID_INPUT naming every bad field (with its line in YAML). */
export function parseExperimentConfig(input: string | Record<string, unknown>): ExperimentConfig {
  const result = validateExperimentConfig(input);
  if (result.config) return result.config;
  const issues = result.issues.map((i) => ({
    path: i.path,
    message: i.line ? `${i.message} (line ${i.line})` : i.message,
  }));
  throw invalidInput(
    `invalid experiment config: ${issues.map((i) => `${i.path || '(root)'}: ${i.message}`).join('; ')}`,
    issues,
  );
}
