import { Decimal } from 'decimal.js';
import type { Quote } from '../stock/stock.type.js';
import { ZERO } from './money.js';
import type { PortfolioState, PositionState } from './portfolio-state.sql.js';
import type { Position } from './portfolio.type.js';
import type { DayTrades } from './trades.sql.js';

export interface Valuation {
  /** Cash per currency, in that currency. */
  cash: Map<string, Decimal>;
  positions: Position[];
  totalValue: Decimal;
  invested: Decimal;
  dayChange: Decimal;
  realizedPnl: Decimal;
}

const out = (value: Decimal) => value.toDecimalPlaces(6).toNumber();

/** Every currency a state needs a rate for to be valued in `base`. */
export function currenciesOf(state: PortfolioState): string[] {
  return [...new Set([...state.cash.keys(), ...state.positions.map((p) => p.currency)])];
}

/**
 * Today's gain of one holding, local currency: value now − value at the previous close of the shares held then −
 * what today's trades paid (net), = quantity × change + today's net shares × previous close − today's net notional.
 * So shares bought today count from their fill price, not from yesterday's close, and a sale today keeps the gain it
 * made since the close. Without a previous close only today's trades count.
 */
export function dayGain(quantity: Decimal, quote: Quote | null, today: DayTrades | undefined): Decimal {
  const netQuantity = today?.netQuantity ?? ZERO;
  const netNotional = today?.netNotional ?? ZERO;
  if (!quote) return ZERO;
  const price = new Decimal(String(quote.price));
  if (quote.change == null) return netQuantity.mul(price).minus(netNotional);
  const change = new Decimal(String(quote.change));
  return quantity.mul(change).plus(netQuantity.mul(price.minus(change))).minus(netNotional);
}

function valuePosition(position: PositionState, quote: Quote | null, rate: Decimal, today: DayTrades | undefined) {
  const price = quote ? new Decimal(String(quote.price)) : position.averageCost;
  const marketValueLocal = position.quantity.mul(price);
  const unrealizedLocal = marketValueLocal.minus(position.costBasis);
  return {
    price,
    marketValue: marketValueLocal.mul(rate),
    unrealized: unrealizedLocal.mul(rate),
    unrealizedPercent: position.costBasis.isZero() ? null : unrealizedLocal.div(position.costBasis.abs()).mul(100),
    dayChange: dayGain(position.quantity, quote, today).mul(rate),
  };
}

/**
 * Values one state in its base currency with the latest quotes (cache first)
 * and FX rates (base units per unit of each currency). A stock without any
 * price yet is valued at its average cost. Realised P&L of other currencies is
 * converted at today's rate.
 */
export function valuePortfolio(
  state: PortfolioState,
  quotes: Map<string, Quote | null>,
  rates: Map<string, Decimal>,
  todaysTrades: readonly DayTrades[] = [],
): Valuation {
  const today = new Map(todaysTrades.map((trades) => [trades.symbol, trades]));
  const rateOf = (currency: string) => rates.get(currency) ?? new Decimal(1);
  let totalValue = ZERO;
  for (const [currency, amount] of state.cash) totalValue = totalValue.plus(amount.mul(rateOf(currency)));
  let invested = ZERO;
  let dayChange = ZERO;
  let realizedPnl = ZERO;
  const valued: { position: PositionState; figures: ReturnType<typeof valuePosition> }[] = [];
  for (const position of state.positions) {
    const rate = rateOf(position.currency);
    realizedPnl = realizedPnl.plus(position.realizedPnl.mul(rate));
    const quote = quotes.get(position.symbol) ?? null;
    if (position.quantity.isZero()) {
      // Closed today: no row in positions, but what it gained since the close is part of the day.
      if (today.has(position.symbol)) dayChange = dayChange.plus(dayGain(ZERO, quote, today.get(position.symbol)).mul(rate));
      continue;
    }
    const figures = valuePosition(position, quote, rate, today.get(position.symbol));
    valued.push({ position, figures });
    totalValue = totalValue.plus(figures.marketValue);
    invested = invested.plus(position.costBasis.mul(rate));
    dayChange = dayChange.plus(figures.dayChange);
  }
  const positions: Position[] = valued.map(({ position, figures }) => ({
    symbol: position.symbol,
    currency: position.currency,
    quantity: out(position.quantity),
    averageCost: out(position.averageCost),
    price: out(figures.price),
    marketValue: out(figures.marketValue),
    costBasis: out(position.costBasis.mul(rateOf(position.currency))),
    unrealizedPnl: out(figures.unrealized),
    unrealizedPnlPercent: figures.unrealizedPercent === null ? null : out(figures.unrealizedPercent),
    dayChange: out(figures.dayChange),
    weight: totalValue.isZero() ? 0 : out(figures.marketValue.div(totalValue)),
    realizedPnl: out(position.realizedPnl.mul(rateOf(position.currency))),
  }));
  return { cash: state.cash, positions, totalValue, invested, dayChange, realizedPnl };
}
