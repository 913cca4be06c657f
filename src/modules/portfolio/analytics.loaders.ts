import DataLoader from 'dataloader';
import type { Decimal } from 'decimal.js';
import type { StockClient, UserClient } from '../../db/database.js';
import { readBookHistories, readDayCloses, type BookHistory } from './value-history.sql.js';

export interface AnalyticsLoaders {
  /** Day-level books (folded before `from`) and EOD snapshots of any number of portfolios: one user-DB statement per distinct date. */
  historySince(from: string): DataLoader<string, BookHistory>;
  /** DAY closes of any number of symbols since a date (plus the one before): one stock-DB statement per distinct date. */
  closesSince(from: string): DataLoader<string, Map<string, Decimal>>;
}

export function createAnalyticsLoaders(userDb: UserClient, stockDb: StockClient): AnalyticsLoaders {
  const closes = new Map<string, DataLoader<string, Map<string, Decimal>>>();
  const histories = new Map<string, DataLoader<string, BookHistory>>();
  return {
    historySince(from) {
      let loader = histories.get(from);
      if (!loader) {
        loader = new DataLoader(async (ids) => {
          const byId = await readBookHistories(userDb, ids, from);
          return ids.map((id) => byId.get(id)!);
        });
        histories.set(from, loader);
      }
      return loader;
    },
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
