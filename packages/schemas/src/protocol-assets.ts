import { z } from 'zod';
import { TaskIdSchema } from './task.js';

/**
 * Files that define the reference protocol (its fixed comparison system prompts, its unseen-task
 * user prompts, SPRIG's component corpus). They are data: the datasets registry downloads them
 * from their pinned sources (or reads them with `fetch --from DIR`) and checks their sha256.
 */
export const PinnedSourceSchema = z.object({
  repository: z.string(),
  commit: z.string(),
  path: z.string(),
  sha256: z.string(),
});
export type PinnedSource = z.infer<typeof PinnedSourceSchema>;

export const FIXED_SYSTEM_PROMPT_LABELS = ['default', 'chain-of-thought', 'service'] as const;
export const FixedSystemPromptLabelSchema = z.enum(FIXED_SYSTEM_PROMPT_LABELS);
export type FixedSystemPromptLabel = z.infer<typeof FixedSystemPromptLabelSchema>;

/** A fixed comparison system prompt as the registry holds it once its file is fetched. */
export const ReferenceSystemPromptSchema = z.object({
  label: FixedSystemPromptLabelSchema,
  prompt: z.string(),
  source: PinnedSourceSchema,
});
export type ReferenceSystemPrompt = z.infer<typeof ReferenceSystemPromptSchema>;

export const UnseenUserPromptsInputSchema = z.object({ taskId: TaskIdSchema });
export type UnseenUserPromptsInput = z.infer<typeof UnseenUserPromptsInputSchema>;

/** The reference's user prompts for one unseen task, in file order (the reference uses the first 10). */
export const ReferenceUserPromptsSchema = z.object({
  taskId: TaskIdSchema,
  prompts: z.array(z.string()),
  source: PinnedSourceSchema,
});
export type ReferenceUserPrompts = z.infer<typeof ReferenceUserPromptsSchema>;

/** One sentence of SPRIG's prompt component corpus with its category. */
export const PromptComponentSchema = z.object({
  text: z.string().min(1),
  category: z.string().min(1),
});
export type PromptComponent = z.infer<typeof PromptComponentSchema>;

export const ComponentCorpusSchema = z.object({
  components: z.array(PromptComponentSchema),
  source: PinnedSourceSchema,
});
export type ComponentCorpus = z.infer<typeof ComponentCorpusSchema>;

/** Where a meta-test's user prompts of a task came from. */
export const UserPromptOriginSchema = z.enum(['reference', 'generated']);
export type UserPromptOrigin = z.infer<typeof UserPromptOriginSchema>;
