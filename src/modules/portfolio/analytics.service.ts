import { Decimal } from 'decimal.js';
import { BadUserInputError } from '../../graphql/errors.js';
import { newYorkDate } from '../market/calendar/new-york-calendar.js';
import type { StockLoaders } from '../stock/stock.loaders.js';
import type { AnalyticsLoaders } from './analytics.loaders.js';
import type { AllocationSlice, Performance, Risk } from './analytics.type.js';
import { requireRate, type FxRates } from './fx-rates.js';
import { dailyReturns, moneyWeightedReturn, timeWeightedReturn, totalReturn, type DayValue } from './performance-math.js';
import type { PortfolioLoaders } from './portfolio.loaders.js';
import type { Portfolio } from './portfolio.type.js';
import { annualisedVolatility, beta, correlation, historicalVaR95, maxDrawdown, sharpeRatio, sortinoRatio } from './risk-math.js';
import { anchorOf, closesAt, currenciesOfHistory, rebuildDayValues, seriesDates, symbolsOf, type PerformanceRange } from './value-history.js';

export type AllocationKey = 'SECTOR' | 'SYMBOL' | 'CURRENCY' | 'ASSET_CLASS';

export interface AnalyticsConfig {
  /** Annual risk-free rate for Sharpe and Sortino (0.04 = 4 %). */
  riskFreeRate: number;
}

export const DEFAULT_ANALYTICS_CONFIG: AnalyticsConfig = { riskFreeRate: 0.04 };

/** The asset class of a holding: the listing's own (`stock.asset_class`: EQUITY, ETF, FX); EQUITY when the stock is unknown. */
export function assetClassOf(stock: { assetClass?: string } | null): string {
  return stock?.assetClass ?? 'EQUITY';
}

export const CASH_KEY = 'CASH';

/** MAX reads every close there is. */
const EARLIEST_CLOSE = '1900-01-01';

interface RangeData {
  days: DayValue[];
  /** Benchmark close at each date, null where it has none. */
  benchmark: (Decimal | null)[];
}

const out = (value: Decimal | null) => (value === null ? null : value.toDecimalPlaces(10).toNumber());

/**
 * Performance, risk and allocation of one portfolio, from its books (day by
 * day, valued at DAY closes), its EOD snapshots where they exist, and today's
 * live valuation. Everything goes through the request's loaders, so asking
 * performance and risk of the same range reads the data once, and N
 * portfolios cost a constant number of statements.
 */
export class AnalyticsService {
  private readonly ranges = new Map<string, Promise<RangeData | null>>();

  constructor(
    private readonly loaders: { analytics: AnalyticsLoaders; portfolio: PortfolioLoaders; stock: StockLoaders },
    private readonly fx: FxRates,
    private readonly config: AnalyticsConfig = DEFAULT_ANALYTICS_CONFIG,
    private readonly now: () => Date = () => new Date(),
  ) {}

  async performance(portfolio: Portfolio, range: PerformanceRange, benchmark: string): Promise<Performance> {
    const data = await this.rangeData(portfolio, range, benchmark);
    if (!data) return { from: null, to: null, timeWeightedReturn: null, moneyWeightedReturn: null, totalReturn: null, benchmarkReturn: null, series: [] };
    const { days } = data;
    const first = data.benchmark[0];
    const last = data.benchmark[data.benchmark.length - 1];
    return {
      from: days[0]!.date,
      to: days[days.length - 1]!.date,
      timeWeightedReturn: out(timeWeightedReturn(days)),
      moneyWeightedReturn: moneyWeightedReturn(days),
      totalReturn: out(totalReturn(days)),
      benchmarkReturn: first && last ? out(last.div(first).minus(1)) : null,
      series: days.map((day) => ({ date: day.date, value: day.value.toDecimalPlaces(6).toNumber() })),
    };
  }

  async risk(portfolio: Portfolio, range: PerformanceRange, benchmark: string): Promise<Risk> {
    const data = await this.rangeData(portfolio, range, benchmark);
    if (!data) return { volatility: null, sharpe: null, sortino: null, beta: null, correlation: null, maxDrawdown: null, valueAtRisk95: null };
    const daily = dailyReturns(data.days).map((r) => ({ date: r.date, value: r.value.toNumber() }));
    const returns = daily.map((r) => r.value);
    // Beta and correlation over the days where the benchmark has a close on both ends.
    const paired: [number, number][] = [];
    for (let i = 1; i < data.days.length; i++) {
      const [b0, b1] = [data.benchmark[i - 1], data.benchmark[i]];
      if (b0 && b1) paired.push([returns[i - 1]!, b1.div(b0).minus(1).toNumber()]);
    }
    const ours = paired.map((p) => p[0]);
    const theirs = paired.map((p) => p[1]);
    const var95 = historicalVaR95(returns);
    const lastValue = data.days[data.days.length - 1]!.value;
    return {
      volatility: annualisedVolatility(returns),
      sharpe: sharpeRatio(returns, this.config.riskFreeRate),
      sortino: sortinoRatio(returns, this.config.riskFreeRate),
      beta: beta(ours, theirs),
      correlation: correlation(ours, theirs),
      maxDrawdown: daily.length === 0 ? null : maxDrawdown(data.days[0]!.date, daily),
      valueAtRisk95: var95 === null ? null : lastValue.mul(new Decimal(var95)).toDecimalPlaces(6).toNumber(),
    };
  }

  /** Positions at market value and cash, grouped; largest first. */
  async allocation(portfolio: Portfolio, by: AllocationKey): Promise<AllocationSlice[]> {
    const valuation = await this.loaders.portfolio.valuationById.load(portfolio);
    const stocks = by === 'SECTOR' || by === 'ASSET_CLASS' ? await this.loaders.stock.stockBySymbol.loadMany(valuation.positions.map((p) => p.symbol)) : [];
    const slices = new Map<string, Decimal>();
    const add = (key: string, value: Decimal) => slices.set(key, (slices.get(key) ?? new Decimal(0)).plus(value));
    valuation.positions.forEach((position, i) => {
      const stock = stocks[i] instanceof Error ? null : (stocks[i] ?? null);
      const key =
        by === 'SYMBOL' ? position.symbol
        : by === 'CURRENCY' ? position.currency
        : by === 'SECTOR' ? (stock?.sector ?? 'Unknown')
        : assetClassOf(stock);
      add(key, new Decimal(String(position.marketValue)));
    });
    for (const [currency, amount] of valuation.cash) {
      if (amount.isZero()) continue;
      add(by === 'CURRENCY' ? currency : CASH_KEY, amount.mul(await requireRate(this.fx, currency, portfolio.baseCurrency)));
    }
    const total = valuation.totalValue;
    return [...slices]
      .map(([key, value]) => ({ key, value: value.toDecimalPlaces(6).toNumber(), weight: total.isZero() ? 0 : value.div(total).toDecimalPlaces(10).toNumber() }))
      .sort((a, b) => b.value - a.value || a.key.localeCompare(b.key));
  }

  private rangeData(portfolio: Portfolio, range: PerformanceRange, benchmark: string): Promise<RangeData | null> {
    const key = `${portfolio.id}:${range}:${benchmark}`;
    let data = this.ranges.get(key);
    if (!data) {
      data = this.loadRange(portfolio, range, benchmark);
      this.ranges.set(key, data);
    }
    return data;
  }

  private async loadRange(portfolio: Portfolio, range: PerformanceRange, benchmark: string): Promise<RangeData | null> {
    const benchmarkStock = await this.loaders.stock.stockBySymbol.load(benchmark);
    if (!benchmarkStock) throw new BadUserInputError(`benchmark: unknown symbol ${benchmark}`);
    const now = this.now();
    const today = newYorkDate(now);
    // Keyed by the range's own anchor, not the portfolio's (clipped to its inception), so the books and
    // closes of every portfolio asked in one operation come from one statement each.
    const from = anchorOf(range, today) ?? EARLIEST_CLOSE;
    const history = await this.loaders.analytics.historySince(from).load(portfolio.id);
    const dates = seriesDates(history, range, today);
    if (!dates) return null;
    const closes = this.loaders.analytics.closesSince(from);
    const symbols = symbolsOf(history);
    const [closeList, benchmarkCloses, valuation, benchmarkQuote] = await Promise.all([
      closes.loadMany(symbols),
      closes.load(benchmark),
      this.loaders.portfolio.valuationById.load(portfolio),
      this.loaders.stock.quoteBySymbol.load(benchmark),
    ]);
    const rates = new Map<string, Decimal>();
    for (const currency of currenciesOfHistory(history)) rates.set(currency, await requireRate(this.fx, currency, portfolio.baseCurrency));
    const known = new Map<string, Decimal>([...history.snapshots].map(([date, snapshot]) => [date, snapshot.value]));
    known.set(today, valuation.totalValue);
    const days = rebuildDayValues(history, dates, {
      closes: new Map(symbols.map((symbol, i) => [symbol, closeList[i] instanceof Error ? new Map() : (closeList[i] as Map<string, Decimal>)])),
      rates,
      known,
    });
    const live = benchmarkQuote ? { date: today, price: new Decimal(String(benchmarkQuote.price)) } : undefined;
    return { days, benchmark: closesAt(benchmarkCloses, dates, live) };
  }
}
