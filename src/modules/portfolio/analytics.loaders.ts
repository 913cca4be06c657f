import DataLoader from 'dataloader';
import type { Decimal } from 'decimal.js';
import type { StockClient, UserClient } from '../../db/database.js';
import { readBookHistories, readDayCloses, type BookHistory } from './value-history.sql.js';

export interface AnalyticsLoaders {
  /** Day-level books and EOD snapshots of any number of portfolios: one user-DB statement. */
  historyById: DataLoader<string, BookHistory>;
  /** DAY closes of any number of symbols since a date (plus the one before): one stock-DB statement per distinct date. */
  closesSince(from: string): DataLoader<string, Map<string, Decimal>>;
}

export function createAnalyticsLoaders(userDb: UserClient, stockDb: StockClient): AnalyticsLoaders {
  const closes = new Map<string, DataLoader<string, Map<string, Decimal>>>();
  return {
    historyById: new DataLoader(async (ids) => {
      const histories = await readBookHistories(userDb, ids);
      return ids.map((id) => histories.get(id)!);
    }),
    closesSince(from) {
      let loader = closes.get(from);
      if (!loader) {
        loader = new DataLoader(async (symbols) => {
          const bySymbol = await readDayCloses(stockDb, symbols, from);
          return symbols.map((symbol) => bySymbol.get(symbol)!);
        });
        closes.set(from, loader);
      }
      return loader;
    },
  };
}
