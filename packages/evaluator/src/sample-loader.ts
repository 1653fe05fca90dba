import type { DatasetsClient, EvaluationRequest, Example, TaskSpec } from '@metaspo/schemas';
import { callUpstream } from './upstream.js';

export type SampleLoader = (request: EvaluationRequest) => Promise<{ task: TaskSpec; examples: Example[] }>;

/**
 * Loads task specs and samples from the dataset registry, each distinct one once per loader.
 * A loader lives for one call: the pairs of one `evaluateMany` usually share their samples
 * (same task, split, n and seed), while a later call sees any re-imported data.
 */
export function createSampleLoader(datasets: DatasetsClient): SampleLoader {
  const tasks = new Map<string, Promise<TaskSpec>>();
  const samples = new Map<string, Promise<Example[]>>();
  return async (request) => {
    let task = tasks.get(request.taskId);
    if (!task) {
      task = callUpstream('datasets.tasks.get', () => datasets.tasks.get.query({ id: request.taskId }));
      tasks.set(request.taskId, task);
    }
    const sampleRequest = { taskId: request.taskId, split: request.split, n: request.n, seed: request.seed };
    const key = JSON.stringify(sampleRequest);
    let examples = samples.get(key);
    if (!examples) {
      examples = callUpstream('datasets.sample', () => datasets.sample.query(sampleRequest));
      samples.set(key, examples);
    }
    const [taskSpec, sample] = await Promise.all([task, examples]);
    return { task: taskSpec, examples: sample };
  };
}
