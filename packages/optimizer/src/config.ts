import {
  type ConfigIssue,
  type RunConfig,
  type RunConfigInput,
  RunConfigSchema,
  type ValidateConfigResult,
} from '@metaspo/schemas';
import { locateIssues, parseLocatedYaml, yamlSyntaxErrors } from '@metaspo/schemas/yaml-locate';
import { invalidInput, toFieldIssues } from '@metaspo/service-kit';

/** Validates YAML run-config text: every issue names its field and, when it can, its line. */
export function validateRunConfigYaml(yaml: string): ValidateConfigResult & { config?: RunConfig } {
  const source = parseLocatedYaml(yaml);
  const syntax = yamlSyntaxErrors(source);
  if (syntax.length > 0) {
    return {
      ok: false,
      issues: syntax.map((e) => ({ path: '', message: `invalid YAML: ${e.message}`, line: e.line })),
    };
  }
  const value = source.doc.toJS() ?? {};
  const parsed = RunConfigSchema.safeParse(value);
  if (parsed.success) return { ok: true, issues: [], config: parsed.data };
  const issues: ConfigIssue[] = locateIssues(source, toFieldIssues(parsed.error.issues));
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
