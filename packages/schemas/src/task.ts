import { z } from 'zod';

/** The paper's five domains plus the project's procedural tasks; user data may name its own. */
export const KNOWN_DOMAINS = ['medical', 'review', 'reasoning', 'safety', 'grounding', 'procedural'] as const;
export const DomainSchema = z
  .string()
  .min(1, 'domain must not be empty')
  .regex(/^[a-z0-9_-]+$/, 'domain must be lowercase letters, digits, "_" or "-"');
export type Domain = z.infer<typeof DomainSchema>;

export const TaskIdSchema = z
  .string()
  .min(1, 'task id must not be empty')
  .regex(/^[a-z0-9_.-]+$/, 'task id must be lowercase letters, digits, "_", "." or "-"');

export const AnswerTypeSchema = z.discriminatedUnion('kind', [
  z.object({ kind: z.literal('option'), optionCount: z.number().int().min(2).max(26) }),
  z.object({ kind: z.literal('integer') }),
  z.object({ kind: z.literal('yes-no') }),
  z.object({ kind: z.literal('rating'), min: z.literal(1), max: z.literal(5) }),
  z.object({ kind: z.literal('label'), labels: z.array(z.string().min(1)).min(2) }),
  z.object({ kind: z.literal('free-text') }),
]);
export type AnswerType = z.infer<typeof AnswerTypeSchema>;
export type AnswerKind = AnswerType['kind'];

/**
 * What the task's initial user prompt asks for, and so how `strict` scoring reads a response:
 * `tagged` reads only the last `<answer>...</answer>`; `bare` takes the whole response as the
 * answer (the reference's grounding tasks).
 */
export const AnswerFormatSchema = z.enum(['tagged', 'bare']);
export type AnswerFormat = z.infer<typeof AnswerFormatSchema>;

export const MetricSchema = z.enum(['accuracy', 'macro-f1', 'exact-match', 'contains', 'token-f1']);
export type Metric = z.infer<typeof MetricSchema>;

export const TaskSourceSchema = z.object({
  repository: z.string().optional(),
  commit: z.string().optional(),
  paths: z.array(z.string()).default([]),
  urls: z.array(z.string()).default([]),
  sha256: z.array(z.string()).default([]),
  license: z.string(),
});
export type TaskSource = z.infer<typeof TaskSourceSchema>;

export const TaskSpecSchema = z.object({
  id: TaskIdSchema,
  domain: DomainSchema,
  description: z.string(),
  initialUserPrompt: z
    .string()
    .refine((p) => p.split('{question}').length === 2, 'must contain "{question}" exactly once'),
  answerType: AnswerTypeSchema,
  answerFormat: AnswerFormatSchema.default('tagged'),
  metric: MetricSchema,
  labelSpace: z.array(z.string()).optional(),
  source: TaskSourceSchema.optional(),
  importer: z.string(),
  available: z.boolean().default(true),
  unavailableReason: z.string().optional(),
});
export type TaskSpec = z.infer<typeof TaskSpecSchema>;
export type TaskSpecInput = z.input<typeof TaskSpecSchema>;

/** Which tasks of a domain are meta-train (source) and which are meta-test (unseen). */
export const DomainSplitSchema = z.object({
  domain: DomainSchema,
  train: z.array(TaskIdSchema),
  test: z.array(TaskIdSchema),
});
export type DomainSplit = z.infer<typeof DomainSplitSchema>;
