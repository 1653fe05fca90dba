import type { NodeRecord, RunRecord } from '@metaspo/schemas';
import { mean } from './format.js';

/** One chart row: `iteration`, `mean`, and one key per task id (a train score in [0,1]). */
export type ScoreRow = { iteration: number; mean: number | null } & Record<string, number | null>;

function isScoredUserNode(node: NodeRecord): node is NodeRecord & { taskId: string; trainScore: number } {
  return (
    node.kind === 'user' && node.taskId !== null && node.trainScore !== null && node.droppedReason === null
  );
}

/**
 * Mean train score per iteration, overall and per task. A task's value at an iteration is the
 * mean train score of that task's scored user-prompt nodes of the iteration (the candidates the
 * inner loop evaluated); the overall mean averages the tasks, so a task with more candidates
 * does not weigh more.
 */
export function trainScoreSeries(nodes: NodeRecord[]): { rows: ScoreRow[]; taskIds: string[] } {
  const byIteration = new Map<number, Map<string, number[]>>();
  const taskIds = new Set<string>();
  for (const node of nodes) {
    if (!isScoredUserNode(node)) continue;
    taskIds.add(node.taskId);
    const tasks = byIteration.get(node.iteration) ?? new Map<string, number[]>();
    const scores = tasks.get(node.taskId) ?? [];
    scores.push(node.trainScore);
    tasks.set(node.taskId, scores);
    byIteration.set(node.iteration, tasks);
  }
  const rows = [...byIteration.entries()]
    .sort(([a], [b]) => a - b)
    .map(([iteration, tasks]) => {
      const row: ScoreRow = { iteration, mean: null };
      const taskMeans: number[] = [];
      for (const [taskId, scores] of tasks) {
        const value = mean(scores);
        row[taskId] = value;
        if (value !== null) taskMeans.push(value);
      }
      row.mean = mean(taskMeans);
      return row;
    });
  return { rows, taskIds: [...taskIds].sort() };
}

export interface SystemPromptStep {
  iteration: number;
  prompt: string;
}

/**
 * The system prompt in force at each iteration, read from the nodes the inner loop scored with
 * it (successive duplicates collapsed), ending with the run's result when it has one.
 */
export function systemPromptHistory(run: RunRecord, nodes: NodeRecord[]): SystemPromptStep[] {
  const steps: SystemPromptStep[] = [{ iteration: 0, prompt: run.config.initialSystemPrompt }];
  const inForce = nodes
    .filter((n) => n.kind === 'user' && n.droppedReason === null)
    .sort((a, b) => a.iteration - b.iteration || a.createdAt.localeCompare(b.createdAt));
  for (const node of inForce) {
    const last = steps[steps.length - 1];
    if (last && last.prompt !== node.systemPrompt)
      steps.push({ iteration: node.iteration, prompt: node.systemPrompt });
  }
  const optimized = run.result?.optimizedSystemPrompt;
  const last = steps[steps.length - 1];
  if (optimized !== undefined && last && last.prompt !== optimized) {
    steps.push({ iteration: run.config.iterations, prompt: optimized });
  }
  return steps;
}

/** The best system prompt so far: the result once there, else the latest one in force. */
export function currentBestSystemPrompt(run: RunRecord, history: SystemPromptStep[]): string {
  return (
    run.result?.optimizedSystemPrompt ?? history[history.length - 1]?.prompt ?? run.config.initialSystemPrompt
  );
}

/** User-prompt nodes grouped by task, each task's nodes ordered by iteration then score. */
export function lineageByTask(nodes: NodeRecord[]): Map<string, NodeRecord[]> {
  const byTask = new Map<string, NodeRecord[]>();
  for (const node of nodes) {
    if (node.kind !== 'user' || node.taskId === null) continue;
    const list = byTask.get(node.taskId) ?? [];
    list.push(node);
    byTask.set(node.taskId, list);
  }
  for (const list of byTask.values()) {
    list.sort((a, b) => a.iteration - b.iteration || (b.trainScore ?? -1) - (a.trainScore ?? -1));
  }
  return new Map([...byTask.entries()].sort(([a], [b]) => a.localeCompare(b)));
}
