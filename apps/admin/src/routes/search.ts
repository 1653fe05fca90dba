import * as z from 'zod/mini';

/**
 * Search params of the pages, checked by each route's `validateSearch`. `zod/mini` keeps these in
 * the first chunk without the whole of zod (the pages' chunks load the full schemas). Unknown keys
 * are dropped; a value of the wrong shape falls back to "absent" rather than an error page, as a
 * hand-edited address should still open the page.
 */
const optionalText = z.catch(z.optional(z.string().check(z.minLength(1))), undefined);

export const RunsSearchSchema = z.object({ status: optionalText });
export const RunCreateSearchSchema = z.object({ from: optionalText });
export const MetaTestSearchSchema = z.object({ run: optionalText, id: optionalText });
/** `ids` stays one comma-separated value, so `#/compare?ids=a,b` links made before keep working. */
export const CompareSearchSchema = z.object({ ids: optionalText });

export type SearchValues = Record<string, unknown>;

/**
 * Plain `key=value` search strings (the router's default is JSON per value, which would turn
 * `?id=123` into a number and quote ids on the way out): every URL the app printed before still parses.
 */
export function parseSearch(search: string): SearchValues {
  return Object.fromEntries(new URLSearchParams(search));
}

export function stringifySearch(search: SearchValues): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(search)) {
    if (typeof value === 'string' && value !== '') params.set(key, value);
  }
  const text = params.toString();
  return text ? `?${text}` : '';
}
