import { useSyncExternalStore } from 'react';

/** A hash router, enough for an example: #/search, #/stock/AAPL, #/watchlists, #/portfolios, #/portfolio/<id>, #/login. */
export type Route =
  | { name: 'search' }
  | { name: 'stock'; symbol: string }
  | { name: 'watchlists' }
  | { name: 'portfolios' }
  | { name: 'portfolio'; id: string }
  | { name: 'login' };

export function parseRoute(hash: string): Route {
  const [, first, second] = hash.replace(/^#/, '').split('/');
  if (first === 'stock' && second) return { name: 'stock', symbol: decodeURIComponent(second).toUpperCase() };
  if (first === 'watchlists') return { name: 'watchlists' };
  if (first === 'portfolios') return { name: 'portfolios' };
  if (first === 'portfolio' && second) return { name: 'portfolio', id: decodeURIComponent(second) };
  if (first === 'login') return { name: 'login' };
  return { name: 'search' };
}

function subscribe(listener: () => void): () => void {
  window.addEventListener('hashchange', listener);
  return () => window.removeEventListener('hashchange', listener);
}

export function useRoute(): Route {
  const hash = useSyncExternalStore(subscribe, () => window.location.hash);
  return parseRoute(hash);
}

export function navigate(path: string): void {
  window.location.hash = path;
}
