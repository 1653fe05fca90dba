import { z } from 'zod';

export const PROVIDERS = [
  'openai',
  'anthropic',
  'google',
  'openai-compatible',
  'ollama',
  'llamacpp',
  'sim',
] as const;
export const ProviderSchema = z.enum(PROVIDERS);
export type Provider = z.infer<typeof ProviderSchema>;

export interface ParsedModelRef {
  provider: Provider;
  /** Named endpoint from the config file, written `provider@endpoint:model`. */
  endpoint?: string;
  model: string;
}

const MODEL_REF_PATTERN = /^([a-z-]+)(?:@([A-Za-z0-9_.-]+))?:(.+)$/;

/**
 * Parses `provider:model` or `provider@endpoint:model`. Only the first `:` separates the
 * provider, so `ollama:llama3.2:3b` and `llamacpp:hf:user/repo/file.gguf` keep their colons.
 */
export function parseModelRef(ref: string): ParsedModelRef {
  const match = MODEL_REF_PATTERN.exec(ref.trim());
  if (!match) {
    throw new Error(
      `model reference "${ref}" is malformed: expected "provider:model", e.g. "openai:gpt-4o-mini"`,
    );
  }
  const [, provider, endpoint, model] = match;
  const parsedProvider = ProviderSchema.safeParse(provider);
  if (!parsedProvider.success) {
    throw new Error(
      `model reference "${ref}" names unknown provider "${provider}": expected one of ${PROVIDERS.join(', ')}`,
    );
  }
  return endpoint
    ? { provider: parsedProvider.data, endpoint, model: model! }
    : { provider: parsedProvider.data, model: model! };
}

export function formatModelRef(ref: ParsedModelRef): string {
  return `${ref.provider}${ref.endpoint ? `@${ref.endpoint}` : ''}:${ref.model}`;
}

/** A model reference kept as its string form on the wire; validated by parsing. */
export const ModelRefSchema = z.string().superRefine((value, ctx) => {
  try {
    parseModelRef(value);
  } catch (error) {
    ctx.addIssue({ code: 'custom', message: (error as Error).message });
  }
});
export type ModelRef = z.infer<typeof ModelRefSchema>;
