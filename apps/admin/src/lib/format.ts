export function formatUsd(value: number | null | undefined): string {
  if (value === null || value === undefined) return 'unknown';
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

export function mean(values: number[]): number | null {
  return values.length === 0 ? null : values.reduce((a, b) => a + b, 0) / values.length;
}

export function isToday(iso: string): boolean {
  const date = new Date(iso);
  const now = new Date();
  return date.toDateString() === now.toDateString();
}

/** A usage total's calls with the cached ones in brackets, or '–' while it is not known. */
export function formatCallsCached(totals: { calls: number; cachedCalls: number } | undefined): string {
  return totals ? `${formatCount(totals.calls)} (${formatCount(totals.cachedCalls)})` : '–';
}
