import type { NewNode, StoredNode } from '../store/run-store.js';

/**
 * New nodes and the small rules every method applies to them: how a draft starts, how kept
 * nodes rank, what a user prompt must contain.
 */

export type NodeDraft = Omit<NewNode, 'id' | 'stepKey'>;

/** What a step decides about a new node; the rest is filled in when it is evaluated. */
export type NodeFields = Omit<NodeDraft, 'trainScore' | 'testScore' | 'evaluationIds' | 'droppedReason'>;

/** A new node, not yet scored or evaluated; `droppedReason` says why it never will be. */
export function nodeDraft(fields: NodeFields, droppedReason: string | null = null): NodeDraft {
  return { ...fields, trainScore: null, testScore: null, evaluationIds: [], droppedReason };
}

/** Mean of the scores (0 for none). */
export function mean(values: readonly number[]): number {
  return values.length === 0 ? 0 : values.reduce((a, b) => a + b, 0) / values.length;
}

/** Best first; equal scores keep their order (kept nodes before new candidates, by index). */
export function rankByTrainScore(nodes: readonly StoredNode[]): StoredNode[] {
  return nodes
    .map((node, order) => ({ node, order }))
    .sort((a, b) => (b.node.trainScore ?? -1) - (a.node.trainScore ?? -1) || a.order - b.order)
    .map((x) => x.node);
}

export function placeholderProblem(prompt: string): string | null {
  const count = prompt.split('{question}').length - 1;
  return count === 1 ? null : `user prompt has ${count} "{question}" placeholders instead of exactly one`;
}
