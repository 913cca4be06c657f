import DataLoader from 'dataloader';
import type { Decimal } from 'decimal.js';
import type { UserClient } from '../../db/database.js';
import { manyByKey, oneByKey } from '../../lib/batch.js';
import type { StockLoaders } from '../stock/stock.loaders.js';
import { requireRate, type FxRates } from './fx-rates.js';
import type { PortfolioRow } from './ledger.js';
import { readPortfolioStates, type PortfolioState } from './portfolio-state.sql.js';
import { currenciesOf, valuePortfolio, type Valuation } from './valuation.js';
import { newYorkDate } from './money.js';
import { readDayTrades, readTradePages } from './trades.sql.js';
import type { TradeRow } from './trade.service.js';

export interface PortfolioLoaders {
  portfolioById: DataLoader<string, PortfolioRow | null>;
  /** Cash and positions of any number of portfolios: one user-DB statement (one snapshot each). */
  stateById: DataLoader<string, PortfolioState>;
  /** Live valuation in the base currency: the states, then one batch of quotes and one of FX rates for all of them. */
  valuationById: DataLoader<{ id: string; baseCurrency: string }, Valuation, string>;
  /** Up to `limit` trades of each portfolio, newest first, below an optional id: one statement per distinct limit. */
  tradePages(limit: number): DataLoader<{ portfolioId: string; before: string | null }, TradeRow[], string>;
}

export function createPortfolioLoaders(db: UserClient, stock: StockLoaders, fx: FxRates): PortfolioLoaders {
  const stateById = new DataLoader<string, PortfolioState>(async (ids) => {
    const states = await readPortfolioStates(db, ids);
    return ids.map((id) => states.get(id)!);
  });
  const tradePages = new Map<number, DataLoader<{ portfolioId: string; before: string | null }, TradeRow[], string>>();
  return {
    tradePages(limit) {
      let loader = tradePages.get(limit);
      if (!loader) {
        loader = new DataLoader(async (keys) => {
          const rows = await readTradePages(db, keys, limit);
          return manyByKey(keys.map((_, i) => i + 1), rows, (row) => row.k);
        }, { cacheKeyFn: (key) => `${key.portfolioId}:${key.before ?? ''}` });
        tradePages.set(limit, loader);
      }
      return loader;
    },
    portfolioById: new DataLoader(async (ids) => {
      const rows = await db.portfolio.findMany({ where: { id: { in: [...ids] } } });
      return oneByKey(ids, rows, (row) => row.id);
    }),
    stateById,
    valuationById: new DataLoader(
      async (keys) => {
        const [states, dayTrades] = await Promise.all([
          stateById.loadMany(keys.map((key) => key.id)),
          readDayTrades(db, keys.map((key) => key.id), newYorkDate(new Date())),
        ]);
        const symbols = new Set<string>();
        for (const trades of dayTrades) symbols.add(trades.symbol);
        for (const state of states) if (!(state instanceof Error)) for (const p of state.positions) if (!p.quantity.isZero()) symbols.add(p.symbol);
        const quoteList = await stock.quoteBySymbol.loadMany([...symbols]);
        const quotes = new Map([...symbols].map((symbol, i) => {
          const quote = quoteList[i];
          return [symbol, quote instanceof Error ? null : (quote ?? null)] as const;
        }));
        return Promise.all(
          keys.map(async (key, i) => {
            const state = states[i]!;
            if (state instanceof Error) return state;
            const currencies = currenciesOf(state);
            const rates = new Map<string, Decimal>(await Promise.all(currencies.map(async (c) => [c, await requireRate(fx, c, key.baseCurrency)] as const)));
            return valuePortfolio(state, quotes, rates, dayTrades.filter((trades) => trades.portfolioId === key.id));
          }),
        );
      },
      { cacheKeyFn: (key) => key.id },
    ),
  };
}
