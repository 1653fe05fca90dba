import { GatewayConfigSchema } from '@metaspo/llm-gateway';
import { loadConfig } from '@metaspo/service-kit';
import { z } from 'zod';

/** The YAML config file (`--config` or METASPO_CONFIG): provider endpoints, limits, prices. */
export const PlatformConfigSchema = z
  .object({
    llm: GatewayConfigSchema.optional(),
    evaluator: z.object({ concurrency: z.number().int().positive().optional() }).strict().optional(),
  })
  .strict();
export type PlatformConfig = z.infer<typeof PlatformConfigSchema>;

export function loadPlatformConfig(
  file: string | undefined,
  env: NodeJS.ProcessEnv = process.env,
): PlatformConfig {
  return loadConfig(PlatformConfigSchema, { file: file ?? env.METASPO_CONFIG, env });
}
