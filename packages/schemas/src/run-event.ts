import { z } from 'zod';
import { NodePhaseSchema } from './node.js';
import { RunProgressSchema, RunStatusSchema } from './run.js';

const base = {
  runId: z.string(),
  /** Monotonic per run; a subscriber resumes after the last seq it saw. */
  seq: z.number().int().nonnegative(),
  at: z.string(),
};

export const RunEventSchema = z.discriminatedUnion('type', [
  z.object({ ...base, type: z.literal('status'), status: RunStatusSchema, message: z.string().optional() }),
  z.object({
    ...base,
    type: z.literal('phase'),
    phase: NodePhaseSchema,
    iteration: z.number().int().nonnegative(),
    taskId: z.string().nullable(),
  }),
  z.object({ ...base, type: z.literal('progress'), progress: RunProgressSchema }),
  z.object({
    ...base,
    type: z.literal('node'),
    nodeId: z.string(),
    taskId: z.string().nullable(),
    phase: NodePhaseSchema,
    iteration: z.number().int().nonnegative(),
    trainScore: z.number().nullable(),
    testScore: z.number().nullable(),
  }),
  z.object({
    ...base,
    type: z.literal('system-decision'),
    iteration: z.number().int().nonnegative(),
    accepted: z.boolean(),
    candidateScore: z.number(),
    currentScore: z.number(),
    systemPrompt: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('candidate-dropped'),
    phase: NodePhaseSchema,
    iteration: z.number().int().nonnegative(),
    taskId: z.string().nullable(),
    reason: z.string(),
  }),
  z.object({
    ...base,
    type: z.literal('log'),
    level: z.enum(['info', 'warn', 'error']),
    message: z.string(),
  }),
]);
export type RunEvent = z.infer<typeof RunEventSchema>;
export type RunEventType = RunEvent['type'];
