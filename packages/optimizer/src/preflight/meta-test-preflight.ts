import {
  type ConfigIssue,
  type MetaTestStartInput,
  MetaTestStartInputSchema,
  type RunConfig,
  RunConfigSchema,
  type TaskSelection,
  type ValidateConfigResult,
} from '@metaspo/schemas';
import { toFieldIssues } from '@metaspo/service-kit';
import type { RunStore } from '../store/run-store.js';
import { issueAt, type PreflightFindings } from './findings.js';
import type { PreflightPorts } from './ports.js';
import { checkModels, checkSizes, countExamples, resolveSelection } from './preflight.js';

export type MetaTestPreflightResult = ValidateConfigResult & { warnings: ConfigIssue[] };

/** The defaults a meta-test takes where neither its input nor its run sets a value. */
const DEFAULTS: RunConfig = RunConfigSchema.parse({ metaTrainTasks: ['placeholder'] });

/**
 * What `metaTests.start` would refuse or fail on at once, found before it starts: the run
 * exists and has an optimized prompt, the unseen tasks exist and are imported, the models'
 * providers are configured, and the sizes fit (adaptation trains on the tasks' train split).
 */
export async function preflightMetaTest(
  ports: PreflightPorts,
  runs: RunStore,
  rawInput: MetaTestStartInput,
): Promise<MetaTestPreflightResult> {
  const parsed = MetaTestStartInputSchema.safeParse(rawInput);
  if (!parsed.success) return { ok: false, issues: toFieldIssues(parsed.error.issues), warnings: [] };
  const input = parsed.data;
  const findings: PreflightFindings = { issues: [], warnings: [] };
  const run = input.runId ? runs.findRun(input.runId) : null;
  if (input.runId && !run) findings.issues.push(issueAt(['runId'], `run ${input.runId} not found`));
  if (run && !run.result) {
    findings.issues.push(
      issueAt(['runId'], `run ${run.id} is ${run.status} and has no optimized system prompt yet`),
    );
  }
  const base = run?.config ?? DEFAULTS;
  const selection: TaskSelection | undefined =
    input.tasks ??
    run?.config.metaTestTasks ??
    (run && !Array.isArray(run.config.metaTrainTasks) ? run.config.metaTrainTasks : undefined);
  const baseModel = input.baseModel ?? base.baseModel;
  const optimizerModel = input.optimizerModel ?? base.optimizerModel;
  await checkModels(
    ports,
    [
      { segments: ['baseModel'], ref: baseModel },
      // Unseen generalization asks the optimizer only for user prompts the registry lacks.
      ...(input.kind === 'unseen' && input.userPrompts === 'reference'
        ? []
        : [{ segments: ['optimizerModel'], ref: optimizerModel }]),
    ],
    findings,
  );
  if (!selection) {
    findings.issues.push(issueAt(['tasks'], 'name the unseen tasks (tasks: ids or a domain)'));
  } else {
    const tasks = await resolveSelection(ports, selection, 'test', 'tasks', findings);
    const counts = await countExamples(ports, tasks, input.seed ?? base.seed, findings);
    checkSizes(
      { trainSize: input.trainSize ?? base.trainSize, testSize: input.testSize ?? base.testSize },
      tasks,
      counts,
      findings,
      { train: input.kind === 'adapt' ? ['trainSize'] : null, test: ['testSize'] },
    );
  }
  return { ok: findings.issues.length === 0, issues: findings.issues, warnings: findings.warnings };
}
