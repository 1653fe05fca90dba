import { z } from 'zod';
import { ScoringSchema } from './scoring.js';

const score = z.number().min(0).max(1);

/** What `metaspo demo --json` prints: one object, the contract of the newcomer's first run. */
export const DemoSummarySchema = z
  .object({
    runId: z.string().min(1),
    simulated: z.boolean(),
    /** How every score below was read. */
    scoring: ScoringSchema,
    initialSystemPrompt: z.string(),
    optimizedSystemPrompt: z.string().min(1),
    metaTrain: z.object({ before: score, after: score }).strict(),
    unseen: z.object({ default: score, optimized: score }).strict(),
    calls: z
      .object({
        base: z.number().int().nonnegative(),
        optimizer: z.number().int().nonnegative(),
        cached: z.number().int().nonnegative(),
      })
      .strict(),
  })
  .strict();
export type DemoSummary = z.infer<typeof DemoSummarySchema>;
