import DataLoader from 'dataloader';
import { Decimal } from 'decimal.js';
import type { OrderConfig } from '../../config.js';
import type { StockClient, UserClient } from '../../db/database.js';
import type { Viewer } from '../../graphql/auth.js';
import { BadUserInputError, NotFoundError } from '../../graphql/errors.js';
import type { PortfolioService } from '../portfolio/portfolio.service.js';
import type { StockService } from '../stock/stock.service.js';
import { runBacktest } from './backtest.js';
import { readDailyCandles } from './candles.js';
import { toStrategy } from './strategy.mapper.js';
import { OrderSide } from '../portfolio/portfolio.type.js';
import type { BacktestReport, Strategy } from './strategy.type.js';
import type { BacktestRequest, EnableStrategy } from './strategy.validation.js';
import { noPredictions, type PredictionSignal, type PredictionSignals } from './strategy-signals.js';

export interface StrategyLoaders {
  byPortfolioId: DataLoader<string, Strategy[]>;
}

export function createStrategyLoaders(db: UserClient): StrategyLoaders {
  return {
    byPortfolioId: new DataLoader(async (ids) => {
      const rows = await db.strategy.findMany({ where: { portfolioId: { in: [...ids] } }, orderBy: [{ createdAt: 'asc' }, { id: 'asc' }] });
      return ids.map((id) => rows.filter((row) => row.portfolioId === id).map(toStrategy));
    }),
  };
}

/** enableStrategy / disableStrategy / Portfolio.strategies / backtest. Owner only, as the portfolio mutations are. */
export class StrategyService {
  constructor(
    private readonly db: UserClient,
    private readonly stockDb: StockClient,
    private readonly portfolios: PortfolioService,
    private readonly stocks: StockService,
    private readonly config: { orders: OrderConfig; riskFreeRate: number },
    /** FOLLOW_MODEL backtests replay the model's stored predictions. @default none stored */
    private readonly predictions: PredictionSignals = noPredictions,
  ) {}

  async enable(viewer: Viewer, input: EnableStrategy): Promise<Strategy> {
    const portfolio = await this.portfolios.get(viewer, input.portfolioId);
    await this.stocks.assertListable(input.symbols, (i) => `symbols[${i}]`);
    const row = await this.db.strategy.create({
      data: { portfolioId: portfolio.id, kind: input.strategy.params.kind, symbols: input.symbols, params: input.strategy.params, sizing: input.strategy.sizing },
    });
    return toStrategy(row);
  }

  async disable(viewer: Viewer, id: string): Promise<Strategy> {
    const row = await this.db.strategy.findUnique({ where: { id } });
    if (!row) throw new NotFoundError(`No strategy ${id}`);
    await this.portfolios.get(viewer, row.portfolioId).catch(() => {
      throw new NotFoundError(`No strategy ${id}`);
    });
    if (!row.enabled) return toStrategy(row);
    return toStrategy(await this.db.strategy.update({ where: { id }, data: { enabled: false, disabledAt: new Date() } }));
  }

  async backtest(input: BacktestRequest): Promise<BacktestReport> {
    await this.stocks.assertListable(input.symbols, (i) => `symbols[${i}]`);
    const { params } = input.strategy;
    let predictions: Map<string, PredictionSignal[]> | undefined;
    if (params.kind === 'FOLLOW_MODEL') {
      predictions = await this.predictions.history(params.modelId, input.symbols, { from: input.from, to: input.to });
      if (![...predictions.values()].some((list) => list.length > 0)) {
        throw new BadUserInputError(
          `strategy.modelId: no stored predictions of ${params.modelId} for these symbols between from and to (predictions are stored hourly from the first training and kept 30 days)`,
          'strategy.modelId',
        );
      }
    }
    const stocks = await Promise.all(input.symbols.map((symbol) => this.stocks.findBySymbol(symbol)));
    const currencies = new Set(stocks.map((stock) => stock!.currency));
    if (currencies.size > 1) throw new BadUserInputError(`symbols: all must trade in one currency (got ${[...currencies].join(', ')})`, 'symbols');
    const candles = await readDailyCandles(this.stockDb, input.symbols, { from: input.from, to: input.to });
    const missing = input.symbols.find((symbol) => !candles.has(symbol));
    if (missing) throw new BadUserInputError(`symbols: ${missing} has no daily candles between from and to`, 'symbols');
    const currency = [...currencies][0]!;
    const initialCash = new Decimal(String(input.initialCash));
    const result = runBacktest({ ...input.strategy, candles, initialCash, currency, config: this.config.orders, riskFreeRate: this.config.riskFreeRate, predictions });
    return {
      currency,
      initialCash: initialCash.toFixed(),
      finalValue: result.finalValue.toDecimalPlaces(6).toFixed(),
      totalReturn: result.totalReturn.toDecimalPlaces(8).toFixed(),
      sharpe: result.sharpe,
      maxDrawdown: result.maxDrawdown,
      trades: result.trades.map((t) => ({
        symbol: t.symbol,
        side: OrderSide[t.side],
        quantity: t.quantity.toFixed(),
        price: t.price.toFixed(),
        commission: t.commission.toFixed(),
        slippageBps: t.slippageBps.toFixed(),
        signalAt: t.signalAt,
        executedAt: t.executedAt,
      })),
      equityCurve: result.equity.map((point) => ({ ts: point.ts, value: point.value.toDecimalPlaces(6).toFixed() })),
    };
  }
}
