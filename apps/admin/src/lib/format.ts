/** A cost in USD; `null` means some call of the total has no known price. */
export function formatUsd(value: number | null | undefined): string {
  if (value === undefined) return '–';
  if (value === null) return 'no price';
  if (value === 0) return '$0';
  return value < 0.01 ? `$${value.toFixed(4)}` : `$${value.toFixed(2)}`;
}

export function formatScore(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : `${(value * 100).toFixed(1)}%`;
}

export function formatDate(iso: string | null | undefined): string {
  if (!iso) return '–';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? iso : date.toLocaleString();
}

export function formatCount(value: number | null | undefined): string {
  return value === null || value === undefined ? '–' : value.toLocaleString();
}

/** A count with its unit, singular or plural: `1 call`, `2,000 requests`. */
export function formatQuantity(value: number | null | undefined, unit: string, plural = `${unit}s`): string {
  if (value === null || value === undefined) return '–';
  return `${value.toLocaleString()} ${value === 1 ? unit : plural}`;
}

export function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function isToday(iso: string): boolean {
  const date = new Date(iso);
  const now = new Date();
  return date.toDateString() === now.toDateString();
}

/** A usage total's calls with how many came from the cache, or '–' while it is not known. */
export function formatCallsCached(totals: { calls: number; cachedCalls: number } | undefined): string {
  return totals
    ? `${formatQuantity(totals.calls, 'call')} (${formatCount(totals.cachedCalls)} from the cache)`
    : '–';
}

/** The meaning of the two counts pages show, stated once (docs/numbers.md; the CLI says the same). */
export const REQUESTS_MEANING =
  'Requests: what the algorithm asks for, one per evaluated example and one per optimizer prompt (those served from the cache included).';
export const CALLS_MEANING =
  'Calls: the answer or failure the gateway gave to each request, plus malformed optimizer replies asked again; calls from the cache cost nothing, failed and cancelled calls are counted apart.';
