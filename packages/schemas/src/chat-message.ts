import { z } from 'zod';

export const ChatRoleSchema = z.enum(['system', 'user', 'assistant']);
export type ChatRole = z.infer<typeof ChatRoleSchema>;

/** About 100k tokens: past the context of the models the platform targets (see COMPLETION_LIMITS). */
const MAX_MESSAGE_CHARS = 400_000;

export const ChatMessageSchema = z.object({
  role: ChatRoleSchema,
  content: z.string().max(MAX_MESSAGE_CHARS, `a message may have at most ${MAX_MESSAGE_CHARS} characters`),
});
export type ChatMessage = z.infer<typeof ChatMessageSchema>;
