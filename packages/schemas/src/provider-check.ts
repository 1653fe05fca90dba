import { z } from 'zod';
import { ProviderSchema } from './model-ref.js';

/**
 * What a real check found for a provider: `ready` (the simulator; a local server that answered;
 * llama.cpp model files present), `unreachable` (a local server that did not answer), `error`
 * (it answered with an error, or no configured model file exists), `key-set` (a hosted API whose
 * key is set: it is not called until a run uses it), `not-configured`.
 */
export const ProviderCheckStateSchema = z.enum([
  'ready',
  'unreachable',
  'error',
  'key-set',
  'not-configured',
]);
export type ProviderCheckState = z.infer<typeof ProviderCheckStateSchema>;

export const ProviderCheckSchema = z.object({
  provider: ProviderSchema,
  /** Named endpoint for openai-compatible. */
  endpoint: z.string().optional(),
  state: ProviderCheckStateSchema,
  /** What was checked and found, in words; names env variables and server origins, never keys. */
  detail: z.string(),
  /** How long the local server took to answer; null when nothing was probed or it did not answer. */
  latencyMs: z.number().nonnegative().nullable(),
});
export type ProviderCheck = z.infer<typeof ProviderCheckSchema>;

export const ProviderChecksSchema = z.object({ providers: z.array(ProviderCheckSchema) });
export type ProviderChecks = z.infer<typeof ProviderChecksSchema>;
