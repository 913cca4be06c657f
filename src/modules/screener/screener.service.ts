import type { StockClient } from '../../db/database.js';
import { sessionWindow } from '../market/calendar/session-window.js';
import { toPage } from '../../graphql/relay.js';
import type { StockConnection } from '../stock/stock.connection.js';
import type { StockLoaders } from '../stock/stock.loaders.js';
import { toStock } from '../stock/stock.mapper.js';
import { decodeScreenerCursor, encodeScreenerCursor } from './screener.cursor.js';
import type { ScreenerLoaders } from './screener.loaders.js';
import type { CatalogueCache } from './catalogue-cache.js';
import { toCategoricalFilter, toNumericFilter, toScreener } from './screener.mapper.js';
import {
  compileScreenerCount,
  compileScreenerPage,
  type ScreenerConditions,
  type ScreenerMarket,
  type ScreenerResultRow,
} from './screener.sql.js';
import type {
  CategoricalCriterion,
  CategoricalFilter,
  NumericCriterion,
  NumericFilter,
  Screener,
} from './screener.type.js';
import {
  referencedFilterIds,
  resolveCriteria,
  type CriteriaInput,
  type ResolvedCriteria,
  type ResultsArgs,
} from './screener.validation.js';

/** A filter that criteria stored earlier point at has left the catalogue: a data problem, not the caller's. */
class MissingFilterError extends Error {
  override name = 'MissingFilterError';
}

function toConditions(criteria: ResolvedCriteria): ScreenerConditions {
  return {
    numeric: criteria.numeric.map((c) => ({ column: c.filter.columnName, min: c.min, max: c.max })),
    categorical: criteria.categorical.map((c) => ({ column: c.filter.columnName, values: c.values })),
  };
}

/** The filter catalogue, predefined screeners, and running any set of criteria against the stock DB. */
export class ScreenerService {
  private primed?: Promise<void>;

  /** `catalogue`: the process's copy of the filter catalogue and screeners; without it every request reads them. */
  constructor(
    private readonly stockDb: StockClient,
    private readonly loaders: ScreenerLoaders,
    private readonly stockLoaders: StockLoaders,
    private readonly catalogue?: CatalogueCache,
  ) {}

  /** Primes this request's filter loaders from the process's catalogue once, so look-ups by id or key cost no statement. */
  private warm(): Promise<void> {
    if (!this.catalogue) return Promise.resolve();
    return (this.primed ??= this.catalogue.get().then((catalogue) => this.loaders.primeFilters(catalogue)));
  }

  async numericFilters(): Promise<NumericFilter[]> {
    if (this.catalogue) return [...(await this.catalogue.get()).numeric];
    const filters = (await this.stockDb.numericFilter.findMany({ orderBy: { id: 'asc' } })).map(toNumericFilter);
    this.loaders.primeFilters({ numeric: filters });
    return filters;
  }

  async categoricalFilters(): Promise<CategoricalFilter[]> {
    if (this.catalogue) return [...(await this.catalogue.get()).categorical];
    const filters = (await this.stockDb.categoricalFilter.findMany({ orderBy: { id: 'asc' } })).map(toCategoricalFilter);
    this.loaders.primeFilters({ categorical: filters });
    return filters;
  }

  async screeners(): Promise<Screener[]> {
    if (this.catalogue) return [...(await this.catalogue.get()).screeners];
    return (await this.stockDb.screener.findMany({ orderBy: { id: 'asc' } })).map(toScreener);
  }

  async numericFilter(id: number): Promise<NumericFilter> {
    await this.warm();
    const filter = await this.loaders.numericFilterById.load(id);
    if (!filter) throw new MissingFilterError(`numeric filter ${id} is referenced but not in the catalogue`);
    return filter;
  }

  async categoricalFilter(id: number): Promise<CategoricalFilter> {
    await this.warm();
    const filter = await this.loaders.categoricalFilterById.load(id);
    if (!filter) throw new MissingFilterError(`categorical filter ${id} is referenced but not in the catalogue`);
    return filter;
  }

  /** A predefined screener's criteria, its filter keys resolved (one batched look-up for all screeners). */
  async predefinedCriteria(screener: Screener): Promise<ResolvedCriteria> {
    await this.warm();
    const [numeric, categorical] = await Promise.all([
      Promise.all(
        screener.criteria.numeric.map(async (c) => {
          const filter = await this.loaders.numericFilterByKey.load(c.filterKey);
          if (!filter) throw new MissingFilterError(`screener ${screener.key}: no numeric filter with key ${c.filterKey}`);
          return { filter, min: c.min, max: c.max };
        }),
      ),
      Promise.all(
        screener.criteria.categorical.map(async (c) => {
          const filter = await this.loaders.categoricalFilterByKey.load(c.filterKey);
          if (!filter) throw new MissingFilterError(`screener ${screener.key}: no categorical filter with key ${c.filterKey}`);
          return { filter, values: c.values };
        }),
      ),
    ]);
    return { numeric, categorical };
  }

  /** Saved criteria (by filter id) paired with their filters. */
  async storedCriteria(numeric: NumericCriterion[], categorical: CategoricalCriterion[]): Promise<ResolvedCriteria> {
    const [numericFilters, categoricalFilters] = await Promise.all([
      Promise.all(numeric.map((c) => this.numericFilter(c.filterId))),
      Promise.all(categorical.map((c) => this.categoricalFilter(c.filterId))),
    ]);
    return {
      numeric: numeric.map((c, i) => ({ filter: numericFilters[i]!, min: c.min, max: c.max })),
      categorical: categorical.map((c, i) => ({ filter: categoricalFilters[i]!, values: c.values })),
    };
  }

  /** Checks client criteria against the catalogue: BAD_USER_INPUT naming the first bad field. */
  async resolveInput(criteria: CriteriaInput): Promise<ResolvedCriteria> {
    const ids = referencedFilterIds(criteria);
    await this.warm();
    const [numeric, categorical] = await Promise.all([
      this.loaders.numericFilterById.loadMany(ids.numeric),
      this.loaders.categoricalFilterById.loadMany(ids.categorical),
    ]);
    const found = <T extends { id: number }>(list: (T | null | Error)[]) =>
      new Map(list.filter((f): f is T => f !== null && !(f instanceof Error)).map((f) => [f.id, f]));
    return resolveCriteria(criteria, { numeric: found(numeric), categorical: found(categorical) });
  }

  /** One page of stocks matching every criterion: one SQL statement, plus one more if totalCount is asked. */
  async run(criteria: ResolvedCriteria, page: ResultsArgs): Promise<StockConnection> {
    const after = page.after ? decodeScreenerCursor(page.after, page.sort) : null;
    const conditions = toConditions(criteria);
    // Volumes come from the last complete New York session, never today's partial candle.
    const market: ScreenerMarket = sessionWindow(new Date());
    const rows = await this.stockDb.$queryRaw<ScreenerResultRow[]>(
      compileScreenerPage(conditions, { sort: page.sort, first: page.first, after }, market),
    );
    const { edges, pageInfo } = toPage(rows, page.first, (row) =>
      encodeScreenerCursor(page.sort, { value: row.sort_key, symbol: row.symbol }),
    );
    const stocks = edges.map((edge) => ({ cursor: edge.cursor, node: toStock(edge.node) }));
    // Prime the per-request loader: nested fields that look a stock up again cost nothing.
    for (const { node } of stocks) this.stockLoaders.stockBySymbol.prime(node.symbol, node);
    return {
      edges: stocks,
      pageInfo,
      countMatches: async () => {
        const [row] = await this.stockDb.$queryRaw<{ count: number }[]>(compileScreenerCount(conditions, market));
        return Number(row!.count);
      },
    };
  }

  async runInput(args: CriteriaInput & ResultsArgs): Promise<StockConnection> {
    return this.run(await this.resolveInput(args), args);
  }
}
