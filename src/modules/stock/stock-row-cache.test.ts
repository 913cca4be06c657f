import { describe, expect, it } from 'vitest';
import { StockRowCache } from './stock-row-cache.js';
import type { Stock } from './stock.type.js';

const stock = (symbol: string) => ({ symbol, name: symbol }) as Stock;

describe('StockRowCache', () => {
  it('keeps at most maxEntries, dropping the least recently used', () => {
    const cache = new StockRowCache({ maxEntries: 2 });
    cache.set('A', stock('A'));
    cache.set('B', stock('B'));
    expect(cache.get('A')?.symbol).toBe('A'); // A is now the most recent
    cache.set('C', stock('C'));
    expect([cache.get('A')?.symbol, cache.get('B'), cache.get('C')?.symbol]).toEqual(['A', undefined, 'C']);
  });

  it('asks the database again once an entry is ttlMs old, and tells a known-missing symbol from an unknown one', () => {
    let now = 0;
    const cache = new StockRowCache({ ttlMs: 1_000, now: () => now });
    cache.set('NOPE', null);
    now = 999;
    expect(cache.get('NOPE')).toBeNull();
    now = 1_000;
    expect(cache.get('NOPE')).toBeUndefined();
  });

  it('drops the given symbols, or all of them', () => {
    const cache = new StockRowCache();
    for (const s of ['A', 'B', 'C']) cache.set(s, stock(s));
    cache.invalidate(['B']);
    expect(cache.size).toBe(2);
    cache.invalidate();
    expect(cache.size).toBe(0);
  });
});
