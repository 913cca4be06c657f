import DataLoader from 'dataloader';
import type { UserClient } from '../../db/database.js';
import type { SqlExecutor } from '../../db/sql-executor.js';
import type { Viewer } from '../../graphql/auth.js';
import { manyByKey, oneByKey } from '../../lib/batch.js';
import { toFloatOrNull } from '../../lib/numbers.js';
import type { StockInterest } from './collection.type.js';

export interface CollectionLoaders {
  /** Symbols of each collection in list order; one user-DB query for any number of collections. */
  symbolsByCollectionId: DataLoader<string, string[]>;
  /** The viewer's mark on each stock, or null; absent when nobody is signed in. */
  interestBySymbol: DataLoader<string, StockInterest | null> | null;
}

export function toStockInterest(row: {
  id: string;
  stockSymbol: string;
  targetPrice: { toNumber(): number } | null;
  note: string | null;
  createdAt: Date;
  updatedAt: Date;
}): StockInterest {
  return { id: row.id, symbol: row.stockSymbol, targetPrice: toFloatOrNull(row.targetPrice), note: row.note, createdAt: row.createdAt, updatedAt: row.updatedAt };
}

/** `sql`: the user database's raw executor; the symbol lists are read on it (a hot path of every watchlist). */
export function createCollectionLoaders(db: UserClient, sql: SqlExecutor, viewer: Viewer | null): CollectionLoaders {
  return {
    symbolsByCollectionId: new DataLoader(async (ids) => {
      const rows = await sql.query<{ collection_id: string; stock_symbol: string }>(
        `SELECT collection_id, stock_symbol FROM custom_collection_stock
         WHERE collection_id = ANY($1::uuid[]) ORDER BY position, added_at`,
        [[...ids]],
      );
      return manyByKey(ids, rows, (row) => row.collection_id).map((list) => list.map((row) => row.stock_symbol));
    }),
    interestBySymbol: viewer
      ? new DataLoader(async (symbols) => {
          const rows = await db.userStockPotential.findMany({ where: { accountId: viewer.accountId, stockSymbol: { in: [...symbols] } } });
          return oneByKey(symbols, rows.map(toStockInterest), (interest) => interest.symbol);
        })
      : null,
  };
}
