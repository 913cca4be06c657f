import { useSyncExternalStore } from 'react';

const KEY = 'marketgraph.accessToken';
const listeners = new Set<() => void>();

export function getAccessToken(): string | null {
  return localStorage.getItem(KEY);
}

export function setAccessToken(token: string | null): void {
  if (token) localStorage.setItem(KEY, token);
  else localStorage.removeItem(KEY);
  listeners.forEach((listener) => listener());
}

function subscribe(listener: () => void): () => void {
  listeners.add(listener);
  // Another tab signing in or out.
  const onStorage = (event: StorageEvent) => event.key === KEY && listener();
  window.addEventListener('storage', onStorage);
  return () => {
    listeners.delete(listener);
    window.removeEventListener('storage', onStorage);
  };
}

/** The stored access token, re-rendering on sign-in and sign-out. */
export function useAccessToken(): string | null {
  return useSyncExternalStore(subscribe, getAccessToken);
}
