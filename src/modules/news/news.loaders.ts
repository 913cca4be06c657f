import DataLoader from 'dataloader';
import type { SqlExecutor } from '../../db/sql-executor.js';
import { manyByKey } from '../../lib/batch.js';
import { articlesBySymbols, type ArticleRow } from './news.sql.js';
import type { StockNewsArgs } from './news.validation.js';

export interface NewsLoaders {
  /**
   * The newest `first + 1` articles of each symbol after the cursor (one more than the page, to learn whether more
   * exist): one statement for any number of stocks, one loader per distinct argument set.
   */
  bySymbol(args: StockNewsArgs): DataLoader<string, ArticleRow[]>;
}

export function createNewsLoaders(sql: SqlExecutor): NewsLoaders {
  const loaders = new Map<string, DataLoader<string, ArticleRow[]>>();
  return {
    bySymbol(args) {
      const key = JSON.stringify([args.first, args.after?.publishedAt.toISOString(), args.after?.id]);
      let loader = loaders.get(key);
      if (!loader) {
        loader = new DataLoader(async (symbols) => {
          const rows = await articlesBySymbols(sql, symbols, args.first + 1, args.after);
          return manyByKey(symbols, rows, (row) => row.forSymbol);
        });
        loaders.set(key, loader);
      }
      return loader;
    },
  };
}
