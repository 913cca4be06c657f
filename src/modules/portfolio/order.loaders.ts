import DataLoader from 'dataloader';
import type { UserClient } from '../../db/database.js';
import { manyByKey } from '../../lib/batch.js';
import { readFills, readOrderPages, type FillRow, type OrderPageKey, type OrderRow } from './order.sql.js';

export interface OrderLoaders {
  /** Up to `limit` orders of each portfolio (one status or all), newest first: one statement per distinct (limit, status). */
  orderPages(limit: number, status: string | null): DataLoader<OrderPageKey, OrderRow[], string>;
  /**
   * Fills of any number of orders, oldest first: one statement. Keyed by order and version (updatedAt): a
   * subscription keeps one context for all its events, and each fill changes updatedAt, so a later event
   * of the same order is never answered from the cache of an earlier one.
   */
  fillsByOrderId: DataLoader<{ id: string; updatedAt: Date }, FillRow[], string>;
}

export function createOrderLoaders(db: UserClient): OrderLoaders {
  const pages = new Map<string, DataLoader<OrderPageKey, OrderRow[], string>>();
  return {
    orderPages(limit, status) {
      const id = `${limit}:${status ?? ''}`;
      let loader = pages.get(id);
      if (!loader) {
        loader = new DataLoader(
          async (keys) => {
            const rows = await readOrderPages(db, keys, limit, status);
            return manyByKey(keys.map((_, i) => i + 1), rows, (row) => row.k);
          },
          { cacheKeyFn: (key) => `${key.portfolioId}:${key.before?.createdAt.getTime() ?? ''}:${key.before?.id ?? ''}` },
        );
        pages.set(id, loader);
      }
      return loader;
    },
    fillsByOrderId: new DataLoader(
      async (keys) => {
        const rows = await readFills(db, [...new Set(keys.map((key) => key.id))]);
        return manyByKey(keys.map((key) => key.id), rows, (row) => row.orderId);
      },
      { cacheKeyFn: (key) => `${key.id}:${key.updatedAt.getTime()}` },
    ),
  };
}
