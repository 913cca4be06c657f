import DataLoader from 'dataloader';
import type { StockClient } from '../../db/database.js';
import { manyByKey, oneByKey } from '../../lib/batch.js';
import { latestCandles } from './latest-candles.js';
import type { Cache } from '../../cache/cache.js';
import { readThrough } from '../../cache/read-through.js';
import { quoteCacheKey } from '../../realtime/topics.js';
import { fromCachedQuote, quoteFromCandles, toCandle, toStock } from './stock.mapper.js';
import type { Candle, Quote, Stock } from './stock.type.js';
import type { CandlesArgs } from './stock.validation.js';

export interface StockLoaders {
  stockBySymbol: DataLoader<string, Stock | null>;
  quoteBySymbol: DataLoader<string, Quote | null>;
  isBlacklisted: DataLoader<string, boolean>;
  /** One loader per distinct argument set, so `candles(last: 30)` on 50 stocks is one query. */
  candles(args: CandlesArgs): DataLoader<string, Candle[]>;
}

export function createStockLoaders(prisma: StockClient, cache: Cache): StockLoaders {
  const candleLoaders = new Map<string, DataLoader<string, Candle[]>>();

  return {
    stockBySymbol: new DataLoader(async (symbols) => {
      const rows = await prisma.stock.findMany({ where: { symbol: { in: [...symbols] } } });
      return oneByKey(symbols, rows.map(toStock), (stock) => stock.symbol);
    }),

    quoteBySymbol: new DataLoader(async (symbols) => {
      // The live feed keeps the latest quotes in the cache; the database answers the rest.
      return readThrough(cache, symbols, quoteCacheKey, fromCachedQuote, async (missing) => {
        const rows = await latestCandles(prisma, missing, 'DAY', 2);
        return manyByKey(missing, rows, (row) => row.symbol).map((candles, i) => quoteFromCandles(missing[i]!, candles));
      });
    }),

    isBlacklisted: new DataLoader(async (symbols) => {
      const rows = await prisma.blacklist.findMany({ where: { symbol: { in: [...symbols] } }, select: { symbol: true } });
      const listed = new Set(rows.map((row) => row.symbol));
      return symbols.map((symbol) => listed.has(symbol));
    }),

    candles(args) {
      const key = JSON.stringify([args.interval, args.from?.toISOString(), args.to?.toISOString(), args.last]);
      let loader = candleLoaders.get(key);
      if (!loader) {
        loader = new DataLoader(async (symbols) => {
          const rows = await latestCandles(prisma, symbols, args.interval, args.last, args);
          // Fetched newest first to take the latest `last`; served oldest first, as charts draw them.
          return manyByKey(symbols, rows, (row) => row.symbol).map((candles) => candles.reverse().map(toCandle));
        });
        candleLoaders.set(key, loader);
      }
      return loader;
    },
  };
}
