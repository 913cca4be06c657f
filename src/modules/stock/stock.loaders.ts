import DataLoader from 'dataloader';
import { Prisma } from '../../generated/stock/client.js';
import type { StockClient } from '../../db/database.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import { candleStampOf, newYorkDate } from '../market/calendar/new-york-calendar.js';
import { sessionWindow } from '../market/calendar/session-window.js';
import { averageSessionVolume } from './session-volume.sql.js';
import { manyByKey, oneByKey } from '../../lib/batch.js';
import { latestCandles } from './latest-candles.js';
import type { Cache } from '../../cache/cache.js';
import { readThrough } from '../../cache/read-through.js';
import { quoteCacheKey } from '../../realtime/topics.js';
import { fromCachedQuote, quoteFromCandles, toCandle, toSessionStats, toStock, type SessionStatsRow, type StockRow } from './stock.mapper.js';
import type { StockRowCache } from './stock-row-cache.js';
import type { Candle, Quote, SessionStats, Stock } from './stock.type.js';
import type { CandlesArgs } from './stock.validation.js';
import { lazyClass } from '../../lib/lazy-object.js';
import { recordingReads } from '../../lib/recording-reads.js';

export interface StockLoaders {
  stockBySymbol: DataLoader<string, Stock | null>;
  /** The process's cached row (null: known missing) without waiting a tick; undefined when it must be loaded. */
  cachedStock(symbol: string): Stock | null | undefined;
  quoteBySymbol: DataLoader<string, Quote | null>;
  isBlacklisted: DataLoader<string, boolean>;
  /** 52-week high/low and 20-session average volume, from the DAY candles: one statement for any number of stocks. */
  sessionStats: DataLoader<string, SessionStats>;
  /** One loader per distinct argument set, so `candles(last: 30)` on 50 stocks is one query. */
  candles(args: CandlesArgs): DataLoader<string, Candle[]>;
}

const WEEKS_52_MS = 52 * 7 * 86_400_000;

/**
 * The 52-week range covers every DAY candle after the same New York date 52 weeks ago, today's
 * partial one included (a new high is a high). The average covers the latest 20 complete
 * sessions only (today's partial volume would drag it down); see session-volume.sql.ts.
 */
export function sessionStatsQuery(symbols: readonly string[], now: Date): Prisma.Sql {
  const yearAgo = candleStampOf(newYorkDate(new Date(now.getTime() - WEEKS_52_MS)));
  return Prisma.sql`
    SELECT s.symbol, w.high_52w, w.low_52w, a.average_volume
    FROM unnest(${[...symbols]}::varchar[]) AS s(symbol)
    LEFT JOIN LATERAL (
      SELECT max(p.high) AS high_52w, min(p.low) AS low_52w FROM stock_price p
      WHERE p.symbol = s.symbol AND p.interval = 'DAY'::candle_interval AND p.ts > ${yearAgo}
    ) w ON true
    CROSS JOIN LATERAL (SELECT ${averageSessionVolume(sessionWindow(now))} AS average_volume) a`;
}

/** The columns toStock reads, named as the Prisma model names them. */
const STOCK_ROW_COLUMNS = `symbol, name, sector, industry, exchange, currency, market_cap AS "marketCap", pe_ratio AS "peRatio",
  dividend_yield AS "dividendYield", eps, beta, description, website, is_active AS "isActive", asset_class AS "assetClass"`;

/** Stock rows by symbol in one statement, on the raw executor (NUMERIC arrives as text, parsed once by toStock). */
export function stockRows(sql: SqlExecutor, symbols: readonly string[]): Promise<StockRow[]> {
  return sql.query<StockRow>(`SELECT ${STOCK_ROW_COLUMNS} FROM stock WHERE symbol = ANY($1::varchar[])`, [[...symbols]]);
}

interface LoaderScope {
  prisma: StockClient;
  sql: SqlExecutor;
  cache: Cache;
  rows?: StockRowCache;
  /** Told of every symbol a loader is asked for (the response cache records what an answer read). */
  onRead?: (symbol: string) => void;
  candleLoaders: Map<string, DataLoader<string, Candle[]>>;
}

/** Each loader is built on first use: a request for one cached stock row builds none (measured in bench:execute). */
const StockLoaderSet = lazyClass<LoaderScope, StockLoaders>({
  cachedStock: ({ rows, onRead }) => (symbol) => (onRead?.(symbol), rows?.get(symbol)),

  stockBySymbol: ({ sql, rows, onRead }) =>
    recordingReads(
      new DataLoader(async (symbols) => {
        const cached = symbols.map((symbol) => rows?.get(symbol));
        const missing = symbols.filter((_, i) => cached[i] === undefined);
        if (missing.length === 0) return cached as (Stock | null)[];
        const found = await stockRows(sql, missing);
        const loaded = oneByKey(missing, found.map(toStock), (stock) => stock.symbol);
        missing.forEach((symbol, i) => rows?.set(symbol, loaded[i]!));
        const bySymbol = new Map(missing.map((symbol, i) => [symbol, loaded[i]!]));
        return symbols.map((symbol, i) => (cached[i] === undefined ? bySymbol.get(symbol)! : cached[i]!));
      }),
      onRead,
    ),

  quoteBySymbol: ({ sql, cache, onRead }) =>
    recordingReads(
      new DataLoader(async (symbols) => {
        // The live feed keeps the latest quotes in the cache; the database answers the rest.
        return readThrough(cache, symbols, quoteCacheKey, fromCachedQuote, async (missing) => {
          const rows = await latestCandles(sql, missing, 'DAY', 2);
          return manyByKey(missing, rows, (row) => row.symbol).map((candles, i) => quoteFromCandles(missing[i]!, candles));
        });
      }),
      onRead,
    ),

  isBlacklisted: ({ prisma, onRead }) =>
    recordingReads(
      new DataLoader(async (symbols) => {
        const rows = await prisma.blacklist.findMany({ where: { symbol: { in: [...symbols] } }, select: { symbol: true } });
        const listed = new Set(rows.map((row) => row.symbol));
        return symbols.map((symbol) => listed.has(symbol));
      }),
      onRead,
    ),

  sessionStats: ({ prisma, onRead }) =>
    recordingReads(
      new DataLoader(async (symbols) => {
        const rows = await prisma.$queryRaw<SessionStatsRow[]>(sessionStatsQuery(symbols, new Date()));
        const bySymbol = new Map(rows.map((row) => [row.symbol, row]));
        return symbols.map((symbol) => toSessionStats(bySymbol.get(symbol)));
      }),
      onRead,
    ),

  candles: ({ sql, onRead, candleLoaders }) => (args) => {
    const key = JSON.stringify([args.interval, args.from?.toISOString(), args.to?.toISOString(), args.last]);
    let loader = candleLoaders.get(key);
    if (!loader) {
      loader = recordingReads(
        new DataLoader(async (symbols) => {
          const rows = await latestCandles(sql, symbols, args.interval, args.last, args);
          // Fetched newest first to take the latest `last`; served oldest first, as charts draw them.
          return manyByKey(symbols, rows, (row) => row.symbol).map((candles) => candles.reverse().map(toCandle));
        }),
        onRead,
      );
      candleLoaders.set(key, loader);
    }
    return loader;
  },
});

/**
 * Stock rows, quotes and candles run on the raw executor `sql` (the hot loaders; measured in bench:watchlist),
 * the rest through Prisma. `rows`: the process's stock-row cache; without it every batch reads the rows.
 * `onRead`: told of every symbol asked for (the response cache records what an answer read).
 */
export function createStockLoaders(prisma: StockClient, sql: SqlExecutor, cache: Cache, rows?: StockRowCache, onRead?: (symbol: string) => void): StockLoaders {
  return new StockLoaderSet({ prisma, sql, cache, rows, onRead, candleLoaders: new Map() });
}
