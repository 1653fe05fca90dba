import { IterationSnapshotSchema, type LlmClient, type RunExport } from '@metaspo/schemas';
import { metaPromptsOf } from '../meta-prompts.js';
import { metaPromptsInfo, type RunStore } from '../store/run-store.js';
import { storedRaces } from './races.js';

/** Everything a run produced, as one JSON document (the `runs.export` procedure). */
export async function buildRunExport(store: RunStore, llm: LlmClient, runId: string): Promise<RunExport> {
  const run = store.getRun(runId);
  const set = metaPromptsOf(run.config);
  let usage: RunExport['usage'] = null;
  try {
    usage = (await llm.usage.query({ runId })).totals;
  } catch {
    // The export stays useful without the gateway (e.g. it is not running): usage is then unknown.
  }
  return {
    exportVersion: 2,
    run,
    config: run.config,
    taskIds: store.taskIdsOf(runId) ?? [],
    optimizedSystemPrompt: run.result?.optimizedSystemPrompt ?? null,
    scores: run.result?.scores ?? null,
    scoring: run.config.scoring,
    simulated: run.simulated,
    iterations: store.listSteps(runId, 'snapshot:', IterationSnapshotSchema).map((s) => s.value),
    nodes: store.listNodes(runId).map(({ stepKey: _stepKey, ...node }) => node),
    calls: store.callTotals(runId),
    callsByPhase: store.callTotalsByPhase(runId),
    races: storedRaces(store, runId),
    usage,
    costUsd: usage?.costUsd ?? run.result?.costUsd ?? null,
    metaPrompts: { ...metaPromptsInfo(set), text: set.text },
  };
}
