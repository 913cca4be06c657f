import type { EventBus } from '../../realtime/event-bus.js';
import type { Stock } from './stock.type.js';

/** Bus topic announcing changed stock rows: `{ symbols }`, or `{}` for "any". Every process drops those entries. */
export const STOCKS_CHANGED_TOPIC = 'stocks:changed';

export interface StockRowCacheOptions {
  /** Most stock rows kept; the least recently used go first. @default 5_000 */
  maxEntries?: number;
  /**
   * Longest an entry is served without asking the database: the backstop for writes that announce nothing
   * (psql, another tool). Writes through the app announce themselves on the bus. @default 60_000
   */
  ttlMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * Stock rows (and "no such stock") shared by every request of this process: a listing changes a few times a
 * day at most (fundamentals job, seed), while every query that touches a stock needs its row. Entries are
 * shared objects: treat them as read-only.
 */
export class StockRowCache {
  private readonly entries = new Map<string, { stock: Stock | null; at: number }>();
  private readonly maxEntries: number;
  private readonly ttlMs: number;
  private readonly now: () => number;

  constructor(options: StockRowCacheOptions = {}) {
    this.maxEntries = options.maxEntries ?? 5_000;
    this.ttlMs = options.ttlMs ?? 60_000;
    this.now = options.now ?? Date.now;
  }

  /** The cached row, null for a symbol known to be missing, undefined when the database must be asked. */
  get(symbol: string): Stock | null | undefined {
    const entry = this.entries.get(symbol);
    if (!entry) return undefined;
    if (this.now() - entry.at >= this.ttlMs) {
      this.entries.delete(symbol);
      return undefined;
    }
    // Map keeps insertion order: re-inserting marks it most recently used.
    this.entries.delete(symbol);
    this.entries.set(symbol, entry);
    return entry.stock;
  }

  set(symbol: string, stock: Stock | null): void {
    this.entries.delete(symbol);
    this.entries.set(symbol, { stock, at: this.now() });
    while (this.entries.size > this.maxEntries) this.entries.delete(this.entries.keys().next().value!);
  }

  /** Drops the given symbols, or everything. */
  invalidate(symbols?: readonly string[]): void {
    if (!symbols) return this.entries.clear();
    for (const symbol of symbols) this.entries.delete(symbol);
  }

  get size(): number {
    return this.entries.size;
  }

  /** Follows change announcements from every process; returns the unsubscribe. */
  listen(bus: EventBus): Promise<() => Promise<void>> {
    return bus.subscribe(STOCKS_CHANGED_TOPIC, (event) => {
      const symbols = (event as { symbols?: unknown }).symbols;
      this.invalidate(Array.isArray(symbols) ? symbols.filter((s): s is string => typeof s === 'string') : undefined);
    });
  }
}

/** After a write to `stock` rows commits: every process's StockRowCache drops them (all of them when not given). */
export function announceStocksChanged(bus: EventBus, symbols?: readonly string[]): Promise<void> {
  return bus.publish(STOCKS_CHANGED_TOPIC, symbols ? { symbols: [...symbols] } : {});
}
