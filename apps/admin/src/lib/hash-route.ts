import { useSyncExternalStore } from 'react';

/** A location inside the hash: `#/runs/abc?status=running` -> segments ['runs','abc'], params. */
export interface HashRoute {
  segments: string[];
  params: URLSearchParams;
}

function subscribe(onChange: () => void): () => void {
  window.addEventListener('hashchange', onChange);
  return () => window.removeEventListener('hashchange', onChange);
}

const currentHash = () => window.location.hash;

export function parseHash(hash: string): HashRoute {
  const body = hash.replace(/^#\/?/, '');
  const [path = '', query = ''] = body.split('?', 2);
  return {
    segments: path.split('/').filter(Boolean).map(decodeURIComponent),
    params: new URLSearchParams(query),
  };
}

export function useHashRoute(): HashRoute {
  const hash = useSyncExternalStore(subscribe, currentHash, currentHash);
  return parseHash(hash);
}

/** An href for a page, e.g. `href('runs', id)` or `href('compare', {ids: 'a,b'})`. */
export function href(...parts: Array<string | Record<string, string>>): string {
  const segments = parts.filter((p): p is string => typeof p === 'string').map(encodeURIComponent);
  const params = parts.find((p): p is Record<string, string> => typeof p !== 'string');
  const query = params ? `?${new URLSearchParams(params).toString()}` : '';
  return `#/${segments.join('/')}${query}`;
}

export function navigate(to: string): void {
  window.location.hash = to.replace(/^#/, '');
}
