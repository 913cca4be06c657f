import DataLoader from 'dataloader';
import { Prisma } from '../../generated/stock/client.js';
import type { StockClient } from '../../db/database.js';
import { manyByKey, oneByKey } from '../../lib/batch.js';
import { quoteFromCandles, toCandle, toStock, type CandleRow } from './stock.mapper.js';
import type { Candle, Quote, Stock } from './stock.type.js';
import type { CandlesArgs } from './stock.validation.js';

export interface StockLoaders {
  stockBySymbol: DataLoader<string, Stock | null>;
  quoteBySymbol: DataLoader<string, Quote | null>;
  isBlacklisted: DataLoader<string, boolean>;
  /** One loader per distinct argument set, so `candles(last: 30)` on 50 stocks is one query. */
  candles(args: CandlesArgs): DataLoader<string, Candle[]>;
}

const CANDLE_COLUMNS = Prisma.sql`p.ts, p.open, p.high, p.low, p.close, p.adj_close, p.volume`;

/**
 * The newest `limit` candles of each symbol, newest first. LATERAL + LIMIT walks
 * the (symbol, interval, ts) primary key backwards in each monthly partition,
 * so the cost follows the rows returned, not the table size.
 */
function latestCandles(
  prisma: StockClient,
  symbols: readonly string[],
  interval: CandlesArgs['interval'],
  limit: number,
  range: { from?: Date | null; to?: Date | null } = {},
): Promise<CandleRow[]> {
  const conditions = [Prisma.sql`p.symbol = s.symbol`, Prisma.sql`p.interval = ${interval}::candle_interval`];
  if (range.from) conditions.push(Prisma.sql`p.ts >= ${range.from}`);
  if (range.to) conditions.push(Prisma.sql`p.ts <= ${range.to}`);
  return prisma.$queryRaw<CandleRow[]>`
    SELECT s.symbol, ${CANDLE_COLUMNS}
    FROM unnest(${[...symbols]}::varchar[]) AS s(symbol)
    CROSS JOIN LATERAL (
      SELECT ${CANDLE_COLUMNS} FROM stock_price p
      WHERE ${Prisma.join(conditions, ' AND ')}
      ORDER BY p.ts DESC
      LIMIT ${limit}
    ) p`;
}

export function createStockLoaders(prisma: StockClient): StockLoaders {
  const candleLoaders = new Map<string, DataLoader<string, Candle[]>>();

  return {
    stockBySymbol: new DataLoader(async (symbols) => {
      const rows = await prisma.stock.findMany({ where: { symbol: { in: [...symbols] } } });
      return oneByKey(symbols, rows.map(toStock), (stock) => stock.symbol);
    }),

    quoteBySymbol: new DataLoader(async (symbols) => {
      const rows = await latestCandles(prisma, symbols, 'DAY', 2);
      return manyByKey(symbols, rows, (row) => row.symbol).map((candles, i) => quoteFromCandles(symbols[i]!, candles));
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
