import {
  type ConfigIssue,
  type RunConfig,
  type RunConfigInput,
  RunConfigSchema,
  type ValidateConfigResult,
} from '@metaspo/schemas';
import { locateIssues, parseLocatedYaml, pathSegments } from '@metaspo/schemas/yaml-locate';
import { invalidInput, toFieldIssues } from '@metaspo/service-kit';
import { validateRunConfigYaml } from '../config.js';
import { metaPromptsOf } from '../meta-prompts.js';
import { issueAt, type PreflightFindings } from './findings.js';
import type { PreflightPorts } from './ports.js';
import { preflightRunConfig } from './preflight.js';

export type PreflightResult = ValidateConfigResult & { warnings: ConfigIssue[]; config?: RunConfig };

/** Issues in line order (those without a line last), each with its segments. */
function ordered(issues: ConfigIssue[]): ConfigIssue[] {
  return issues
    .map((issue) => (issue.segments ? issue : { ...issue, segments: pathSegments(issue.path) }))
    .map((issue, order) => ({ issue, order }))
    .sort((a, b) => (a.issue.line ?? Infinity) - (b.issue.line ?? Infinity) || a.order - b.order)
    .map((x) => x.issue);
}

function result(findings: PreflightFindings, config?: RunConfig): PreflightResult {
  const ok = findings.issues.length === 0;
  return {
    ok,
    issues: ordered(findings.issues),
    warnings: ordered(findings.warnings),
    ...(ok && config ? { config } : {}),
  };
}

/** The meta-prompt set a config names, checked as `runs.create` checks it. */
function checkMetaPrompts(config: RunConfig, findings: PreflightFindings): void {
  try {
    metaPromptsOf(config);
  } catch (error) {
    findings.issues.push(issueAt(['metaPrompts'], error instanceof Error ? error.message : String(error)));
  }
}

/**
 * Validates a run config, YAML text or an object, and resolves everything the run needs:
 * `ok` means `runs.create` and `runs.start` will accept it. Issues of YAML text carry lines.
 */
export async function preflightRun(
  ports: PreflightPorts,
  input: { yaml: string } | { config: unknown },
): Promise<PreflightResult> {
  if ('yaml' in input) {
    const parsed = validateRunConfigYaml(input.yaml);
    if (!parsed.config) return result({ issues: parsed.issues, warnings: [] });
    const findings = await preflightRunConfig(ports, parsed.config);
    checkMetaPrompts(parsed.config, findings);
    const source = parseLocatedYaml(input.yaml);
    return result(
      { issues: locateIssues(source, findings.issues), warnings: locateIssues(source, findings.warnings) },
      parsed.config,
    );
  }
  const parsed = RunConfigSchema.safeParse(input.config);
  if (!parsed.success) return result({ issues: toFieldIssues(parsed.error.issues), warnings: [] });
  const findings = await preflightRunConfig(ports, parsed.data);
  checkMetaPrompts(parsed.data, findings);
  return result(findings, parsed.data);
}

/** Throws INVALID_INPUT naming every issue (with its field path) unless the preflight passed. */
export function assertPreflight(outcome: PreflightResult, what: string): RunConfig {
  if (outcome.ok && outcome.config) return outcome.config;
  throw refusalOf(what, outcome.issues);
}

/** INVALID_INPUT with every issue: its field, message, line when known, and hint. */
export function refusalOf(what: string, issues: ConfigIssue[]): Error {
  const described = issues.map((issue) => ({
    path: issue.path,
    message: `${issue.message}${issue.line ? ` (line ${issue.line})` : ''}${issue.hint ? ` (${issue.hint})` : ''}`,
  }));
  return invalidInput(
    `${what}: ${described.map((i) => `${i.path || '(config)'}: ${i.message}`).join('; ')}`,
    described,
  );
}

/** The object or YAML text of `runs.create`, as preflight takes it. */
export function preflightInputOf(config: string | RunConfigInput): { yaml: string } | { config: unknown } {
  return typeof config === 'string' ? { yaml: config } : { config };
}
