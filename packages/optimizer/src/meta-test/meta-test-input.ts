import {
  type DatasetsClient,
  DEFAULT_SCORING,
  type MetaTestKind,
  type MetaTestStartInputSchema,
  type MetaTestSystemPrompt,
  type RunConfig,
  RunConfigSchema,
  type RunRecord,
  type TaskSelection,
  type TaskSpec,
} from '@metaspo/schemas';
import { invalidInput } from '@metaspo/service-kit';
import type { z } from 'zod';
import { expectedCalls, totalRequests } from '../call-count.js';
import { fixedSystemPrompts } from '../fixed-prompts.js';
import { referenceUserPrompts } from './unseen.js';

/** A meta-test's input once parsed (defaults applied), as the store keeps it for resume. */
type ParsedMetaTestInput = z.output<typeof MetaTestStartInputSchema>;

/**
 * The system prompts a meta-test compares, in order: the fixed ones, the run's optimized one,
 * the caller's. Refused when two share a label (the result is keyed by label) or none is left.
 */
export async function comparedSystemPrompts(
  datasets: DatasetsClient,
  input: ParsedMetaTestInput,
  run: RunRecord | null,
): Promise<MetaTestSystemPrompt[]> {
  const systemPrompts: MetaTestSystemPrompt[] = [
    ...(input.includeFixed ? await fixedSystemPrompts(datasets) : []),
    ...(run?.result
      ? [{ label: 'optimized', prompt: run.result.optimizedSystemPrompt, origin: 'optimized' as const }]
      : []),
    ...(input.systemPrompts ?? []).map((p) => ({ ...p, origin: 'input' as const })),
  ];
  const labels = systemPrompts.map((p) => p.label);
  const duplicate = labels.find((l, i) => labels.indexOf(l) !== i);
  if (duplicate) throw invalidInput(`system prompt label "${duplicate}" is used twice`);
  if (systemPrompts.length === 0) throw invalidInput('no system prompts to compare');
  return systemPrompts;
}

/** The unseen tasks: the input's, else the run's meta-test set, else its meta-train domain's. */
export function unseenTaskSelection(input: ParsedMetaTestInput, run: RunRecord | null): TaskSelection {
  const selection =
    input.tasks ??
    run?.config.metaTestTasks ??
    (run && !Array.isArray(run.config.metaTrainTasks) ? run.config.metaTrainTasks : undefined);
  if (!selection) throw invalidInput('name the unseen tasks (tasks: ids or a domain)');
  return selection;
}

/** `userPrompts: reference` asked explicitly: every task must have the reference's file. */
export async function requireReferenceUserPrompts(
  datasets: DatasetsClient,
  tasks: TaskSpec[],
  config: RunConfig,
): Promise<void> {
  const missing: string[] = [];
  for (const task of tasks) {
    const prompts = await referenceUserPrompts(datasets, task.id, config.unseenUserPrompts);
    if (!prompts) missing.push(task.id);
  }
  if (missing.length > 0) {
    throw invalidInput(
      `userPrompts: reference, but the registry holds no reference user prompts for ${missing.join(', ')} ` +
        '(fetch the protocol files with `metaspo datasets fetch`, or use userPrompts: generated)',
      [{ path: 'userPrompts', message: `no reference user prompts for ${missing.join(', ')}` }],
    );
  }
}

/** The protocol's requests (its progress denominator): ProTeGi's formula, or one per unseen cell. */
export function metaTestRequests(
  kind: MetaTestKind,
  config: RunConfig,
  taskCount: number,
  systemPromptCount: number,
): number {
  return kind === 'adapt'
    ? totalRequests(expectedCalls({ ...config, method: 'protegi' }, taskCount)) * systemPromptCount
    : taskCount * systemPromptCount * config.unseenUserPrompts * config.testSize;
}

/** The run's config (or the defaults) with the meta-test's overrides. */
export function metaTestConfig(
  base: RunConfig | undefined,
  input: ParsedMetaTestInput,
  taskIds: string[],
): RunConfig {
  const overrides = {
    ...(input.unseenUserPrompts === undefined ? {} : { unseenUserPrompts: input.unseenUserPrompts }),
    scoring: input.scoring ?? base?.scoring ?? DEFAULT_SCORING,
    ...(input.trainSize === undefined ? {} : { trainSize: input.trainSize }),
    ...(input.testSize === undefined ? {} : { testSize: input.testSize }),
    ...(input.iterations === undefined ? {} : { adaptIterations: input.iterations }),
    ...(input.beamSize === undefined ? {} : { beamSize: input.beamSize }),
    ...(input.userSelection === undefined ? {} : { userSelection: input.userSelection }),
    ...(input.baseModel === undefined ? {} : { baseModel: input.baseModel }),
    ...(input.optimizerModel === undefined ? {} : { optimizerModel: input.optimizerModel }),
    ...(input.seed === undefined ? {} : { seed: input.seed }),
    ...(input.concurrency === undefined ? {} : { concurrency: input.concurrency }),
    ...(input.execution === undefined ? {} : { execution: input.execution }),
  };
  const { budget: _budget, ...inherited } = base ?? { metaTrainTasks: taskIds };
  return RunConfigSchema.parse({
    ...inherited,
    metaTrainTasks: taskIds,
    metaTestTasks: taskIds,
    ...overrides,
  });
}
