// Turns the signals of enabled strategies on the latest stored daily bar into
// paper orders. At most once per signal: the strategy_signal row (unique per
// strategy + symbol + bar) is claimed first, with its SIGNAL_GENERATED trading
// event, in one transaction; only the evaluator whose insert won places the
// order, through the same OrderService as placeOrder (same reservation rules),
// with a clientOrderId derived from the signal so a retry cannot place twice.
// A crash between the claim and the order loses that order (at most once, not
// at least once); the signal row then has neither order_id nor outcome.
import { randomUUID } from 'node:crypto';
import { Decimal } from 'decimal.js';
import type { Cache } from '../../cache/cache.js';
import type { OrderConfig } from '../../config.js';
import type { Database, StockClient, UserClient } from '../../db/database.js';
import type { Logger } from '../../log.js';
import type { EventBus } from '../../realtime/event-bus.js';
import { StockDbFxRates } from '../portfolio/fx-rates.js';
import { createOrderLoaders } from '../portfolio/order.loaders.js';
import { OrderService } from '../portfolio/order.service.js';
import { createPortfolioLoaders } from '../portfolio/portfolio.loaders.js';
import { PortfolioService } from '../portfolio/portfolio.service.js';
import type { StockRowCache } from '../stock/stock-row-cache.js';
import { createStockLoaders } from '../stock/stock.loaders.js';
import { StockService } from '../stock/stock.service.js';
import { readDailyCandles } from './candles.js';
import { buyQuantity, type Sizing } from './sizing.js';
import { followModelSignal, indicatorSignals, type PredictionSignals, type SignalSide, type StrategyParams } from './strategy-signals.js';

export interface EvaluatorDependencies {
  userDb: UserClient;
  stockDb: Database<StockClient>;
  cache: Cache;
  bus: EventBus;
  stockRows?: StockRowCache;
  orders: OrderConfig;
  predictions: PredictionSignals;
  logger?: Logger;
}

export interface SignalOutcome {
  strategyId: string;
  symbol: string;
  side: SignalSide;
  barTs: Date;
  /** false: another evaluator (or an earlier run) had claimed this signal already. */
  claimed: boolean;
  orderId: string | null;
  outcome: string | null;
}

export class StrategyEvaluator {
  constructor(private readonly deps: EvaluatorDependencies) {}

  /** One pass over every enabled strategy; safe to run again and from several processes. */
  async evaluate(): Promise<SignalOutcome[]> {
    const { userDb } = this.deps;
    const strategies = await userDb.strategy.findMany({ where: { enabled: true }, include: { portfolio: { select: { accountId: true } } }, orderBy: { id: 'asc' } });
    if (strategies.length === 0) return [];
    const candles = await readDailyCandles(this.deps.stockDb.prisma, [...new Set(strategies.flatMap((s) => s.symbols))]);
    const outcomes: SignalOutcome[] = [];
    for (const strategy of strategies) {
      const params = strategy.params as StrategyParams;
      for (const symbol of strategy.symbols) {
        const bars = candles.get(symbol);
        const bar = bars?.at(-1);
        if (!bars || !bar) continue;
        const side =
          params.kind === 'FOLLOW_MODEL'
            ? followModelSignal(params, await this.deps.predictions.latest(params.modelId, symbol))
            : indicatorSignals(params, bars.map((b) => b.close.toNumber())).at(-1);
        if (!side) continue;
        outcomes.push(await this.fire({ id: strategy.id, portfolioId: strategy.portfolioId, accountId: strategy.portfolio.accountId, sizing: strategy.sizing as Sizing }, symbol, bar.ts, bar.close, side));
      }
    }
    return outcomes;
  }

  private async fire(strategy: { id: string; portfolioId: string; accountId: string; sizing: Sizing }, symbol: string, barTs: Date, close: Decimal, side: SignalSide): Promise<SignalOutcome> {
    const { userDb } = this.deps;
    const signalId = randomUUID();
    const claimed = await userDb.$transaction(async (tx) => {
      const { count } = await tx.strategySignal.createMany({ data: [{ id: signalId, strategyId: strategy.id, symbol, barTs, side }], skipDuplicates: true });
      if (count === 0) return false;
      await tx.tradingEvent.create({
        data: { portfolioId: strategy.portfolioId, type: 'SIGNAL_GENERATED', payload: { strategyId: strategy.id, signalId, symbol, side, bar: barTs.toISOString(), close: close.toFixed() } },
      });
      return true;
    });
    const base = { strategyId: strategy.id, symbol, side, barTs };
    if (!claimed) return { ...base, claimed, orderId: null, outcome: null };

    let orderId: string | null = null;
    let outcome: string | null = null;
    try {
      const services = this.services();
      const portfolioState = await services.portfolioLoaders.stateById.load(strategy.portfolioId);
      const stock = await services.stocks.findBySymbol(symbol);
      const quantity =
        side === 'BUY'
          ? buyQuantity(strategy.sizing, portfolioState.cash.get(stock?.currency ?? '') ?? new Decimal(0), close, this.deps.orders.marketMargin)
          : portfolioState.positions.find((p) => p.symbol === symbol)?.quantity ?? new Decimal(0);
      if (quantity.lte(0)) outcome = side === 'BUY' ? 'no order: the sizing rule gives no shares' : 'no order: nothing held to sell';
      else {
        const viewer = { accountId: strategy.accountId, role: 'USER' as const, tier: 'FREE' as const };
        const order = await services.orders.place(viewer, {
          portfolioId: strategy.portfolioId,
          symbol,
          side,
          quantity,
          type: 'MARKET',
          limitPrice: null,
          stopPrice: null,
          timeInForce: 'GTC',
          clientOrderId: `sig:${signalId}`,
        });
        orderId = order.id;
      }
    } catch (error) {
      // INSUFFICIENT_FUNDS and the like: the signal stays claimed and says why no order was placed.
      outcome = `no order: ${error instanceof Error ? error.message : String(error)}`.slice(0, 300);
      this.deps.logger?.warn({ strategyId: strategy.id, symbol, side, err: error }, 'strategy signal placed no order');
    }
    await userDb.strategySignal.update({ where: { id: signalId }, data: { orderId, outcome } });
    return { ...base, claimed, orderId, outcome };
  }

  /** Fresh loaders per signal: a request-style service set outside a request. */
  private services() {
    const { userDb, stockDb, cache, bus, stockRows, orders } = this.deps;
    const stockLoaders = createStockLoaders(stockDb.prisma, stockDb.sql, cache, stockRows);
    const fx = new StockDbFxRates(stockDb.prisma);
    const portfolioLoaders = createPortfolioLoaders(userDb, stockLoaders, fx);
    const portfolios = new PortfolioService(userDb, portfolioLoaders);
    const stocks = new StockService(stockDb.prisma, stockLoaders);
    return { portfolioLoaders, stocks, orders: new OrderService(userDb, portfolios, stocks, createOrderLoaders(userDb), bus, orders, fx) };
  }
}
