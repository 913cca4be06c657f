import type { Cache } from './cache.js';

/**
 * Values for `keys` in key order: from the cache where present, the rest from
 * `loadMissing` in one call (it gets only the misses and answers in their
 * order). Shared by the quote and indicator look-ups the live jobs keep warm.
 */
export async function readThrough<K, C, V>(
  cache: Cache,
  keys: readonly K[],
  cacheKeyOf: (key: K) => string,
  fromCached: (cached: C) => V,
  loadMissing: (missing: K[]) => Promise<(V | null)[]>,
): Promise<(V | null)[]> {
  const cached = await cache.getMany<C>(keys.map(cacheKeyOf));
  const missing = keys.filter((_, i) => cached[i] === undefined);
  const loaded = missing.length > 0 ? await loadMissing(missing) : [];
  const byKey = new Map(missing.map((key, i) => [key, loaded[i] ?? null]));
  return keys.map((key, i) => (cached[i] !== undefined ? fromCached(cached[i]!) : (byKey.get(key) ?? null)));
}
