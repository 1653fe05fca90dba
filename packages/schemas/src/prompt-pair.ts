import { z } from 'zod';

export const UserPromptSchema = z
  .string()
  .refine((p) => p.split('{question}').length === 2, 'user prompt must contain "{question}" exactly once');

export const PromptPairSchema = z.object({
  system: z.string(),
  user: UserPromptSchema,
});
export type PromptPair = z.infer<typeof PromptPairSchema>;
