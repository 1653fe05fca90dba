import type { Scoring } from '@metaspo/schemas';

/**
 * How numbers read in CLI text (JSON output keeps the raw values): scores as percentages,
 * counts with thousands separators and their unit, money only where a price exists.
 */

/** A score in [0, 1] as a percentage with one decimal: 0.842 -> "84.2%". */
export function percent(score: number | null | undefined): string {
  return score === null || score === undefined ? '-' : `${(100 * score).toFixed(1)}%`;
}

/** A count with thousands separators: 24326 -> "24,326". */
export function count(n: number): string {
  return n.toLocaleString('en-US');
}

/** A count with its unit, singular or plural: "1 request", "24,326 requests". */
export function counted(n: number, unit: string, plural = `${unit}s`): string {
  return `${count(n)} ${n === 1 ? unit : plural}`;
}

/** Dollars, or why there is no figure: a simulated run costs nothing, an unpriced model is unknown. */
export function usd(amount: number | null, simulated = false, digits = 4): string {
  if (simulated) return '$0 (simulator, free)';
  return amount === null ? 'unknown (no price configured)' : `$${amount.toFixed(digits)}`;
}

/** What a score's number depends on besides the model: how responses were read, and whether the simulator answered. */
export interface ScoreContext {
  scoring: Scoring;
  simulated: boolean;
}

/** A score as CLI text shows it everywhere: "84.2% (strict, simulated)"; "-" when there is none. */
export function scoreText(score: number | null | undefined, context: ScoreContext): string {
  if (score === null || score === undefined) return '-';
  return `${percent(score)} (${context.scoring}${context.simulated ? ', simulated' : ''})`;
}

/** What "requests" and "calls" mean wherever both appear (the words of RunCallsSchema and the admin app). */
export const REQUESTS_MEANING =
  'requests: what the algorithm asked for, those served from the cache included';
export const CALLS_MEANING = 'calls: what the gateway answered or attempted, retries included';
