import { z } from 'zod';

export const NodePhaseSchema = z.enum(['initial', 'inner', 'outer', 'test', 'unseen', 'adapt']);
export type NodePhase = z.infer<typeof NodePhaseSchema>;

export const NodeKindSchema = z.enum(['user', 'system']);
export type NodeKind = z.infer<typeof NodeKindSchema>;

/** One (system prompt, user prompt) pair a run produced, with its scores and lineage. */
export const NodeRecordSchema = z.object({
  id: z.string(),
  runId: z.string(),
  parentId: z.string().nullable(),
  kind: NodeKindSchema,
  /** null for a system-prompt candidate scored across every task. */
  taskId: z.string().nullable(),
  systemPrompt: z.string(),
  userPrompt: z.string(),
  iteration: z.number().int().nonnegative(),
  phase: NodePhaseSchema,
  candidateIndex: z.number().int().nonnegative(),
  trainScore: z.number().min(0).max(1).nullable(),
  testScore: z.number().min(0).max(1).nullable(),
  evaluationIds: z.array(z.string()),
  /** Why a candidate never reached evaluation (malformed reply, missing placeholder...). */
  droppedReason: z.string().nullable(),
  createdAt: z.string(),
});
export type NodeRecord = z.infer<typeof NodeRecordSchema>;
