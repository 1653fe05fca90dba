import { z } from 'zod';

/**
 * How a response is read. `strict` is the reference protocol: only the last `<answer>` tag of a
 * tagged task counts (no tag is a format failure, counted wrong), a bare-answer task compares the
 * whole response after SQuAD normalisation. `lenient` also reads untagged responses and accepts
 * option and label synonyms. Cached responses are shared by both: only the reading differs.
 */
export const SCORING_MODES = ['strict', 'lenient'] as const;
export const ScoringSchema = z.enum(SCORING_MODES);
export type Scoring = z.infer<typeof ScoringSchema>;
export const DEFAULT_SCORING: Scoring = 'strict';
