import {
  type CompletionRequest,
  type CompletionRequestInput,
  CompletionRequestSchema,
} from '@metaspo/schemas';

export function request(input: Partial<CompletionRequestInput> & { content?: string }): CompletionRequest {
  const { content, ...rest } = input;
  return CompletionRequestSchema.parse({
    model: 'llamacpp:tiny.gguf',
    messages: [{ role: 'user', content: content ?? 'What is 2 + 2? Answer with a number.' }],
    ...rest,
  });
}

/** Polls `check` every 10 ms, at most `tries` times. */
export async function waitFor(check: () => boolean | Promise<boolean>, tries = 300): Promise<void> {
  for (let i = 0; i < tries; i += 1) {
    if (await check()) return;
    await new Promise((resolve) => setTimeout(resolve, 10));
  }
  throw new Error('condition not reached');
}
