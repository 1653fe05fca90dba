import type { DatasetSummary, Metric, ModelCheck, RunConfig, TaskSelection } from '@metaspo/schemas';
import { domainCodeOf } from '@metaspo/service-kit';
import { issueAt, type PreflightFindings, type Segment } from './findings.js';
import type { PreflightPorts } from './ports.js';
import { checkRacing } from './racing-checks.js';

const messageOf = (error: unknown) => (error instanceof Error ? error.message : String(error));

/** The command a message names in backticks (the datasets service names the fetch command so). */
function commandIn(message: string): string | undefined {
  return /`(metaspo [^`]+)`/.exec(message)?.[1];
}

/** The models of `fields`, each checked once by the gateway; issues name the field. */
export async function checkModels(
  ports: PreflightPorts,
  fields: Array<{ segments: Segment[]; ref: string }>,
  findings: PreflightFindings,
): Promise<void> {
  const check = ports.llm.checkModels;
  if (!check) {
    findings.warnings.push(
      issueAt([], 'the gateway cannot check model references (it predates llm.checkModels)'),
    );
    return;
  }
  const refs = [...new Set(fields.map((f) => f.ref))];
  let checks: ModelCheck[];
  try {
    ({ models: checks } = await check.query({ refs }));
  } catch (error) {
    findings.issues.push(issueAt([], `the gateway could not check the models: ${messageOf(error)}`));
    return;
  }
  const byRef = new Map(checks.map((c) => [c.ref, c]));
  for (const field of fields) {
    const result = byRef.get(field.ref);
    if (!result || result.usable) continue;
    findings.issues.push(
      issueAt(
        field.segments,
        `${field.ref} cannot be used: ${result.problem ?? 'not configured'}`,
        result.envVar ? `set the environment variable ${result.envVar}` : undefined,
      ),
    );
  }
}

interface TaskEntry {
  id: string;
  /** Where an issue about this task points: its list entry, or the domain field. */
  segments: Segment[];
}

export interface ResolvedTask extends TaskEntry {
  metric: Metric;
}

/**
 * The tasks of a selection, each known to exist and to have examples; a missing or unimported
 * one is an issue at its list entry (or at the domain field), with the command that imports it.
 */
export async function resolveSelection(
  ports: PreflightPorts,
  selection: TaskSelection,
  set: 'train' | 'test',
  field: string,
  findings: PreflightFindings,
): Promise<ResolvedTask[]> {
  let entries: TaskEntry[];
  if (Array.isArray(selection)) {
    entries = selection.map((id, index) => ({ id, segments: [field, index] }));
  } else {
    try {
      const split = await ports.datasets.domains.get.query({ domain: selection });
      const ids = set === 'train' ? split.train : split.test;
      if (ids.length === 0) {
        findings.issues.push(issueAt([field], `domain "${selection}" has no meta-${set} tasks`));
      }
      entries = ids.map((id) => ({ id, segments: [field] }));
    } catch (error) {
      findings.issues.push(issueAt([field], messageOf(error)));
      return [];
    }
  }
  const usable: ResolvedTask[] = [];
  for (const entry of entries) {
    const named = entry.segments.length === 1 ? `task ${entry.id} of domain "${selection}": ` : '';
    try {
      const task = await ports.datasets.tasks.get.query({ id: entry.id });
      if (!task.available) {
        const reason = task.unavailableReason ?? 'unavailable';
        findings.issues.push(issueAt(entry.segments, `${named}task "${entry.id}" is unavailable: ${reason}`));
        continue;
      }
      usable.push({ ...entry, metric: task.metric });
    } catch (error) {
      const message = messageOf(error);
      const unknown = domainCodeOf(error) === 'NOT_FOUND';
      findings.issues.push(
        issueAt(
          entry.segments,
          `${named}${message}`,
          unknown ? 'list the tasks with `metaspo datasets list`' : undefined,
        ),
      );
    }
  }
  return usable;
}

/**
 * Example counts of each task, importing nothing: the datasets service lists what it stores;
 * a task it does not list yet is sampled once, which generates a procedural task or fails
 * naming the fetch command of one not imported.
 */
export async function countExamples(
  ports: PreflightPorts,
  tasks: ResolvedTask[],
  seed: number,
  findings: PreflightFindings,
): Promise<Map<string, DatasetSummary['counts']>> {
  const counts = new Map<string, DatasetSummary['counts']>();
  const list = ports.datasets.datasets?.list;
  if (!list) {
    findings.warnings.push(issueAt([], 'the datasets service cannot list example counts: sizes not checked'));
    return counts;
  }
  const read = async () => {
    for (const summary of await list.query()) counts.set(summary.taskId, summary.counts);
  };
  await read();
  let sampled = false;
  for (const task of tasks) {
    if (counts.has(task.id)) continue;
    try {
      await ports.datasets.sample.query({ taskId: task.id, split: 'train', n: 1, seed });
      sampled = true;
    } catch (error) {
      const message = messageOf(error);
      findings.issues.push(issueAt(task.segments, message, commandIn(message)));
    }
  }
  if (sampled) await read();
  return counts;
}

/** trainSize above a task's train count is an error; testSize above its test count is named only. */
export function checkSizes(
  config: Pick<RunConfig, 'trainSize' | 'testSize'>,
  tasks: ResolvedTask[],
  counts: Map<string, DatasetSummary['counts']>,
  findings: PreflightFindings,
  fields: { train: Segment[] | null; test: Segment[] },
): void {
  const { train: trainField, test: testField } = fields;
  for (const task of tasks) {
    const count = counts.get(task.id);
    if (!count) continue;
    if (trainField && config.trainSize > count.train) {
      findings.issues.push(
        issueAt(
          trainField,
          `trainSize ${config.trainSize} exceeds the ${count.train} train examples of task ${task.id}`,
        ),
      );
    }
    if (config.testSize > count.test) {
      findings.warnings.push(
        issueAt(
          testField,
          `task ${task.id} has ${count.test} test examples: testSize ${config.testSize} evaluates all ${count.test}`,
        ),
      );
    }
  }
}

/**
 * Everything a run needs, resolved before it exists: its tasks exist and are imported, its
 * models' providers are configured, its sizes fit the data, SPRIG's corpus is fetched.
 */
export async function preflightRunConfig(
  ports: PreflightPorts,
  config: RunConfig,
): Promise<PreflightFindings> {
  const findings: PreflightFindings = { issues: [], warnings: [] };
  await checkModels(
    ports,
    [
      { segments: ['baseModel'], ref: config.baseModel },
      { segments: ['optimizerModel'], ref: config.optimizerModel },
    ],
    findings,
  );
  const train = await resolveSelection(ports, config.metaTrainTasks, 'train', 'metaTrainTasks', findings);
  const test = config.metaTestTasks
    ? await resolveSelection(ports, config.metaTestTasks, 'test', 'metaTestTasks', findings)
    : [];
  const counts = await countExamples(ports, [...train, ...test], config.seed, findings);
  checkSizes(config, train, counts, findings, { train: ['trainSize'], test: ['testSize'] });
  // The unseen tasks are tested on testSize examples too (the run's meta-tests).
  const unseen = test.filter((t) => !train.some((u) => u.id === t.id));
  checkSizes(config, unseen, counts, findings, { train: null, test: ['testSize'] });
  checkRacing(config, train, findings);
  if (config.method === 'sprig') {
    const corpus = await ports.datasets.protocol.componentCorpus.query();
    if (!corpus || corpus.components.length === 0) {
      findings.issues.push(
        issueAt(
          ['method'],
          'method sprig builds system prompts from the prompt component corpus, which is not fetched yet',
          'run `metaspo datasets fetch --all` (or `--all --from DIR` with a local copy)',
        ),
      );
    }
  }
  return findings;
}

/**
 * Warnings about racing settings that do not do what they seem to: a loop the method does not
 * have, and races under batch execution, where every round waits for a batch of its own.
 */
