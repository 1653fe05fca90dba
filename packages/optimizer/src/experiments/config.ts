import {
  type ConfigIssue,
  type ExperimentConfig,
  ExperimentConfigSchema,
  type RunConfig,
  RunConfigSchema,
} from '@metaspo/schemas';
import {
  type LocatedYaml,
  locateIssues,
  parseLocatedYaml,
  yamlSyntaxErrors,
} from '@metaspo/schemas/yaml-locate';
import { invalidInput, toFieldIssues } from '@metaspo/service-kit';

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
    execution: config.execution,
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
  let source: LocatedYaml | undefined;
  if (typeof input === 'string') {
    source = parseLocatedYaml(input);
    const syntax = yamlSyntaxErrors(source);
    if (syntax.length > 0) {
      return {
        ok: false,
        issues: syntax.map((e) => ({ path: '', message: `invalid YAML: ${e.message}`, line: e.line })),
      };
    }
    value = source.doc.toJS() ?? {};
  }
  const withLines = (issues: ConfigIssue[]): ConfigIssue[] =>
    source ? locateIssues(source, issues) : issues;
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
