import DataLoader from 'dataloader';
import type { StockClient, UserClient } from '../../db/database.js';
import { manyByKey, oneByKey } from '../../lib/batch.js';
import {
  toCategoricalCriterion,
  toCategoricalFilter,
  toNumericCriterion,
  toNumericFilter,
} from './screener.mapper.js';
import type { CategoricalCriterion, CategoricalFilter, NumericCriterion, NumericFilter } from './screener.type.js';

/**
 * Per-request loaders of the screener domain. The filter catalogue lives in the
 * stock DB, saved criteria in the user DB; each loader is one statement per batch.
 */
export interface ScreenerLoaders {
  numericFilterById: DataLoader<number, NumericFilter | null>;
  categoricalFilterById: DataLoader<number, CategoricalFilter | null>;
  numericFilterByKey: DataLoader<string, NumericFilter | null>;
  categoricalFilterByKey: DataLoader<string, CategoricalFilter | null>;
  /** Criteria of custom screeners the caller already proved the viewer owns. */
  numericCriteriaByScreenerId: DataLoader<string, NumericCriterion[]>;
  categoricalCriteriaByScreenerId: DataLoader<string, CategoricalCriterion[]>;
  /** Primes the id and key loaders with filters fetched some other way. */
  primeFilters(filters: { numeric?: readonly NumericFilter[]; categorical?: readonly CategoricalFilter[] }): void;
}

export function createScreenerLoaders(stockDb: StockClient, userDb: UserClient): ScreenerLoaders {
  const loaders: ScreenerLoaders = {
    numericFilterById: new DataLoader(async (ids) => {
      const rows = (await stockDb.numericFilter.findMany({ where: { id: { in: [...ids] } } })).map(toNumericFilter);
      for (const filter of rows) loaders.numericFilterByKey.prime(filter.key, filter);
      return oneByKey(ids, rows, (filter) => filter.id);
    }),

    categoricalFilterById: new DataLoader(async (ids) => {
      const rows = (await stockDb.categoricalFilter.findMany({ where: { id: { in: [...ids] } } })).map(toCategoricalFilter);
      for (const filter of rows) loaders.categoricalFilterByKey.prime(filter.key, filter);
      return oneByKey(ids, rows, (filter) => filter.id);
    }),

    numericFilterByKey: new DataLoader(async (keys) => {
      const rows = (await stockDb.numericFilter.findMany({ where: { key: { in: [...keys] } } })).map(toNumericFilter);
      for (const filter of rows) loaders.numericFilterById.prime(filter.id, filter);
      return oneByKey(keys, rows, (filter) => filter.key);
    }),

    categoricalFilterByKey: new DataLoader(async (keys) => {
      const rows = (await stockDb.categoricalFilter.findMany({ where: { key: { in: [...keys] } } })).map(toCategoricalFilter);
      for (const filter of rows) loaders.categoricalFilterById.prime(filter.id, filter);
      return oneByKey(keys, rows, (filter) => filter.key);
    }),

    numericCriteriaByScreenerId: new DataLoader(async (screenerIds) => {
      const rows = await userDb.customScreenerNumeric.findMany({
        where: { screenerId: { in: [...screenerIds] } },
        orderBy: [{ position: 'asc' }, { id: 'asc' }],
      });
      return manyByKey(screenerIds, rows, (row) => row.screenerId).map((list) => list.map(toNumericCriterion));
    }),

    categoricalCriteriaByScreenerId: new DataLoader(async (screenerIds) => {
      const rows = await userDb.customScreenerCategorical.findMany({
        where: { screenerId: { in: [...screenerIds] } },
        orderBy: [{ position: 'asc' }, { id: 'asc' }],
      });
      return manyByKey(screenerIds, rows, (row) => row.screenerId).map((list) => list.map(toCategoricalCriterion));
    }),

    primeFilters({ numeric = [], categorical = [] }) {
      for (const filter of numeric) {
        loaders.numericFilterById.prime(filter.id, filter);
        loaders.numericFilterByKey.prime(filter.key, filter);
      }
      for (const filter of categorical) {
        loaders.categoricalFilterById.prime(filter.id, filter);
        loaders.categoricalFilterByKey.prime(filter.key, filter);
      }
    },
  };
  return loaders;
}
