import type { StockClient } from '../../db/database.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { toCategoricalFilter, toNumericFilter, toScreener } from './screener.mapper.js';
import type { CategoricalFilter, NumericFilter, Screener } from './screener.type.js';

/** Bus topic announcing that numeric_filter, categorical_filter or screener rows changed: every process drops its copy. */
export const CATALOGUE_CHANGED_TOPIC = 'catalogue:changed';

export interface Catalogue {
  numeric: readonly NumericFilter[];
  categorical: readonly CategoricalFilter[];
  screeners: readonly Screener[];
}

export interface CatalogueCacheOptions {
  /**
   * Longest the copy is served without reading the tables again: the backstop for writes that announce nothing
   * (psql, another tool). The seed and anything written through the app announce on the bus. @default 300_000
   */
  ttlMs?: number;
  /** @default Date.now */
  now?: () => number;
}

/**
 * The filter catalogue and the predefined screeners, read once per process: a few dozen rows that change when
 * the stock database is seeded or edited by an operator, while every screener answer needs them. Shared objects:
 * treat them as read-only.
 */
export class CatalogueCache {
  private current?: { catalogue: Promise<Catalogue>; at: number };
  private readonly ttlMs: number;
  private readonly now: () => number;
  /** Reads of the three tables (tests count them). */
  loads = 0;

  constructor(
    private readonly stockDb: StockClient,
    options: CatalogueCacheOptions = {},
  ) {
    this.ttlMs = options.ttlMs ?? 300_000;
    this.now = options.now ?? Date.now;
  }

  /** The catalogue; concurrent callers share one read. */
  get(): Promise<Catalogue> {
    if (this.current && this.now() - this.current.at < this.ttlMs) return this.current.catalogue;
    const catalogue = this.load();
    const entry = { catalogue, at: this.now() };
    this.current = entry;
    // A failed read is not kept: the next caller tries again.
    catalogue.catch(() => {
      if (this.current === entry) this.current = undefined;
    });
    return catalogue;
  }

  invalidate(): void {
    this.current = undefined;
  }

  /** Follows change announcements from every process; returns the unsubscribe. */
  listen(bus: EventBus): Promise<() => Promise<void>> {
    return bus.subscribe(CATALOGUE_CHANGED_TOPIC, () => this.invalidate());
  }

  private async load(): Promise<Catalogue> {
    this.loads += 1;
    const [numeric, categorical, screeners] = await Promise.all([
      this.stockDb.numericFilter.findMany({ orderBy: { id: 'asc' } }),
      this.stockDb.categoricalFilter.findMany({ orderBy: { id: 'asc' } }),
      this.stockDb.screener.findMany({ orderBy: { id: 'asc' } }),
    ]);
    return { numeric: numeric.map(toNumericFilter), categorical: categorical.map(toCategoricalFilter), screeners: screeners.map(toScreener) };
  }
}

/** After a write to the catalogue or the predefined screeners commits: every process's copy (and cached answer) is dropped. */
export function announceCatalogueChanged(bus: EventBus): Promise<void> {
  return bus.publish(CATALOGUE_CHANGED_TOPIC, {});
}
